import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  certificateSha256,
  createOrganization,
  enrollUser,
  type LayoutIdentity,
} from '@careledger/fabric-toolkit';
import { ApiKeyStore } from '../auth/api-key-store';
import { runApiKeyCli } from './apikey';

/** Two real identities (certificates the key store binds keys to). */
const identities = (async () => {
  const crypto = mkdtempSync(join(tmpdir(), 'apikey-crypto-'));
  await createOrganization(crypto, { mspId: 'HospitalAMSP', kind: 'peer', nodes: 1 });
  await createOrganization(crypto, { mspId: 'LabMSP', kind: 'peer', nodes: 1 });
  return {
    doctor: await enrollUser(crypto, { mspId: 'HospitalAMSP', name: 'doctor', role: 'doctor' }),
    technician: await enrollUser(crypto, { mspId: 'LabMSP', name: 'technician', role: 'technician' }),
  };
})();

async function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'apikey-cli-'));
  const connection = join(dir, 'connection.json');
  const users = await identities;
  const id = (name: string, role: string, user: LayoutIdentity) => ({
    name,
    role,
    certPath: user.certPath,
    keyPath: user.keyPath,
    attrs: { role },
  });
  writeFileSync(
    connection,
    JSON.stringify({
      version: 1,
      gatewayEndpoint: 'localhost:7051',
      tlsCaPath: 'ca.pem',
      channel: 'healthchannel',
      chaincode: 'careledger',
      organisations: [
        {
          mspId: 'HospitalAMSP',
          type: 'hospital',
          identities: [id('hospitala-doctor', 'doctor', users.doctor)],
        },
        { mspId: 'LabMSP', type: 'lab', identities: [id('lab-technician', 'technician', users.technician)] },
      ],
    }),
  );
  const env = { CARELEDGER_DATA_DIR: dir, CARELEDGER_CONNECTION: connection };
  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const code = await runApiKeyCli(
      argv,
      env,
      (t) => void (out += t),
      (t) => void (err += t),
    );
    return { code, out, err };
  };
  return { dir, run, users, store: () => new ApiKeyStore(join(dir, 'api-keys.json')) };
}

describe('npm run apikey', () => {
  it('creates a key for an organisation’s user, printed once, stored hashed and bound to its certificate', async () => {
    const { run, store, users } = await setUp();
    const created = await run('create', '--org', 'HospitalAMSP', '--user', 'doctor', '--label', 'EHR');
    expect(created.code).toBe(0);
    const printed = JSON.parse(created.out) as { key: string; identity: string; role: string };
    expect(printed).toMatchObject({ identity: 'hospitala-doctor', mspId: 'HospitalAMSP', role: 'doctor' });
    expect(store().verifyRecord(printed.key)).toMatchObject({
      identity: 'hospitala-doctor',
      certificateSha256: certificateSha256(readFileSync(users.doctor.certPath)),
    });
    const listed = await run('list');
    expect(listed.out).toContain('hospitala-doctor');
    expect(listed.out).not.toContain(printed.key);
  });

  it('revokes a key by id', async () => {
    const { run, store } = await setUp();
    const { key, keyId } = JSON.parse((await run('create', '--identity', 'lab-technician')).out) as {
      key: string;
      keyId: string;
    };
    expect((await run('revoke', '--id', keyId)).code).toBe(0);
    expect(store().verify(key)).toBeUndefined();
    expect((await run('revoke', '--id', keyId)).code).toBe(1);
  });

  it('refuses unknown identities and bad usage with exit code 2, creating nothing', async () => {
    const { run, store } = await setUp();
    expect((await run('create', '--org', 'HospitalAMSP', '--user', 'nurse')).code).toBe(2);
    expect((await run('create', '--identity', 'root')).code).toBe(2);
    expect((await run('create', '--org', 'HospitalAMSP')).code).toBe(2);
    expect((await run('frobnicate')).code).toBe(2);
    expect((await run('list', '--bogus')).code).toBe(2);
    expect(store().list()).toEqual([]);
    const help = await run('--help');
    expect([help.code, help.out]).toEqual([0, expect.stringContaining('create --org MSPID --user NAME')]);
  });

  it('lists the wallet identities', async () => {
    const { run } = await setUp();
    expect((await run('identities')).out).toBe(
      'hospitala-doctor\tHospitalAMSP\tdoctor\nlab-technician\tLabMSP\ttechnician\n',
    );
  });
});
