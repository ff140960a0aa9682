import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConnectionFile } from './connection-file';
import { connectionProfileOf, writeConnectionProfiles } from './connection-profile';

describe('common connection profiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'profiles-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'gateway-ca.pem'), 'GATEWAY CA\n');
  writeFileSync(join(dir, 'lab-ca.pem'), 'LAB CA\n');
  const connection: ConnectionFile = {
    version: 1,
    gatewayEndpoint: 'localhost:7051',
    tlsCaPath: join(dir, 'gateway-ca.pem'),
    hostnameOverride: 'peer0.hospitala.example',
    channel: 'healthchannel',
    chaincode: 'careledger',
    organisations: [
      { mspId: 'HospitalAMSP', type: 'hospital', identities: [] },
      {
        mspId: 'LabMSP',
        type: 'lab',
        peerEndpoint: 'lab.example:9051',
        peerTlsCaPath: join(dir, 'lab-ca.pem'),
        identities: [],
      },
    ],
  };

  it("names the organisation's own peer, its TLS CA inline and the TLS name, and the channel", () => {
    expect(connectionProfileOf(connection, 'LabMSP')).toEqual({
      name: 'healthchannel-lab',
      version: '1.0.0',
      client: { organization: 'LabMSP' },
      organizations: { LabMSP: { mspid: 'LabMSP', peers: ['peer0.lab'] } },
      peers: {
        'peer0.lab': {
          url: 'grpcs://lab.example:9051',
          tlsCACerts: { pem: 'LAB CA\n' },
          grpcOptions: {
            'ssl-target-name-override': 'peer0.hospitala.example',
            hostnameOverride: 'peer0.hospitala.example',
          },
        },
      },
      channels: {
        healthchannel: {
          peers: {
            'peer0.lab': { endorsingPeer: true, chaincodeQuery: true, ledgerQuery: true, eventSource: true },
          },
        },
      },
    });
  });

  it('falls back to the gateway endpoint and CA, and refuses an organisation not in the file', () => {
    const profile = connectionProfileOf(connection, 'HospitalAMSP');
    expect(profile.peers['peer0.hospitala']).toMatchObject({
      url: 'grpcs://localhost:7051',
      tlsCACerts: { pem: 'GATEWAY CA\n' },
    });
    expect(() => connectionProfileOf(connection, 'PharmacyMSP')).toThrow('no organisation PharmacyMSP');
  });

  it('writes one file per organisation', async () => {
    const written = await writeConnectionProfiles(join(dir, 'out'), connection);
    expect([...written.keys()]).toEqual(['HospitalAMSP', 'LabMSP']);
    const lab = JSON.parse(readFileSync(join(dir, 'out', 'connection-lab.json'), 'utf8')) as { name: string };
    expect(lab.name).toBe('healthchannel-lab');
  });
});
