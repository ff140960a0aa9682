import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleCaPems, sampleConnection } from '../testing/sample-connection';
import { connectionProfileOf, writeConnectionProfiles } from './connection-profile';

describe('common connection profiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'profiles-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const connection = sampleConnection(dir);

  it("names the organisation's own peer, its TLS CA inline and the TLS name, and the channel", () => {
    expect(connectionProfileOf(connection, 'LabMSP')).toEqual({
      name: 'healthchannel-lab',
      version: '1.0.0',
      client: { organization: 'LabMSP' },
      organizations: { LabMSP: { mspid: 'LabMSP', peers: ['peer0.lab'] } },
      peers: {
        'peer0.lab': {
          url: 'grpcs://peer0.lab.example:9051',
          tlsCACerts: { pem: sampleCaPems.lab },
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
      url: 'grpcs://gateway.example:7051',
      tlsCACerts: { pem: sampleCaPems.gateway },
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
