import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleConnection } from '../testing/sample-connection';
import { clientFor } from './client-for';
import { endpointFor, targetOf } from './fabric-target';
import { GrpcConnections } from './grpc-connections';

/** Records which endpoints clients were made for, and whether it was closed. */
class RecordingConnections extends GrpcConnections {
  readonly asked: string[] = [];
  closed = false;
  override get(endpoint: string) {
    this.asked.push(endpoint);
    return super.get(endpoint);
  }
  override close(): void {
    this.closed = true;
    super.close();
  }
}

describe('clientFor', () => {
  const dir = mkdtempSync(join(tmpdir(), 'client-for-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const connection = sampleConnection(dir);
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const identity = (mspId: string) => ({ mspId, certificatePem: 'CERT', privateKey });

  it("reads a connection file's target: each organisation's own peer, every TLS CA, channel and chaincode", () => {
    const target = targetOf(connection);
    expect(target).toMatchObject({
      endpoint: 'gateway.example:7051',
      peerEndpoints: { LabMSP: 'peer0.lab.example:9051' },
      channel: 'healthchannel',
      chaincode: 'careledger',
    });
    expect(target.tlsRootsPem?.toString()).toContain('AA==');
    expect(target.tlsRootsPem?.toString()).toContain('AQ==');
    expect(endpointFor(target, 'LabMSP')).toBe('peer0.lab.example:9051');
    expect(endpointFor(target, 'HospitalAMSP')).toBe('gateway.example:7051');
  });

  it("connects each caller to its own organisation's peer over shared connections it does not close", () => {
    const connections = new RecordingConnections(targetOf(connection));
    const lab = clientFor(connection, identity('LabMSP'), { connections });
    const hospital = clientFor(targetOf(connection), identity('HospitalAMSP'), { connections });
    expect(connections.asked).toEqual(['peer0.lab.example:9051', 'gateway.example:7051']);
    expect(lab.contract().getChaincodeName()).toBe('careledger');
    expect(hospital.contract('Vitals').getContractName()).toBe('Vitals');
    expect(lab.network.getName()).toBe('healthchannel');
    lab.close();
    hospital.close();
    expect(connections.closed).toBe(false);
    expect(connections.endpoints()).toEqual(['peer0.lab.example:9051', 'gateway.example:7051']);
    connections.close();
  });

  it('closes the connection it opened itself', () => {
    const client = clientFor(connection, identity('LabMSP'));
    expect(() => client.close()).not.toThrow();
  });
});
