import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOrganization, enrollUser, type LayoutIdentity } from '@careledger/fabric-toolkit';
import { Wallet, type WalletEntry } from '../ledger/wallet';
import { ApiKeyStore } from './api-key-store';
import { newAuthenticator } from './authenticator';

const entryOf = (name: string, user: LayoutIdentity): WalletEntry => ({
  name,
  mspId: user.mspId,
  role: user.role,
  certPath: user.certPath,
  keyPath: user.keyPath,
  attrs: user.attrs,
});

describe('API keys bound to a certificate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'key-binding-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let first: LayoutIdentity;
  let second: LayoutIdentity;
  beforeAll(async () => {
    await createOrganization(dir, { mspId: 'HospitalAMSP', kind: 'peer', nodes: 1 });
    first = await enrollUser(dir, { mspId: 'HospitalAMSP', name: 'doctor', role: 'doctor' });
    // The same name's certificate on a network made anew: another key pair, another certificate.
    second = await enrollUser(dir, { mspId: 'HospitalAMSP', name: 'doctor2', role: 'doctor' });
  });

  it('accepts a key for the certificate it was made for, and refuses it once the identity has another', async () => {
    const wallet = new Wallet([entryOf('hospitala-doctor', first)]);
    const apiKeys = new ApiKeyStore(join(dir, 'keys.json'));
    const auth = newAuthenticator({ wallet, apiKeys });
    const bound = apiKeys.create(
      'hospitala-doctor',
      'ward',
      wallet.load('hospitala-doctor').certificateSha256,
    );
    expect(apiKeys.verifyRecord(bound.key)?.certificateSha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await auth.authenticate({ 'x-api-key': bound.key })).identity).toBe('hospitala-doctor');

    expect(wallet.replaceAll([entryOf('hospitala-doctor', second)])).toEqual({ added: [], removed: [] });
    await expect(auth.authenticate({ 'x-api-key': bound.key })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message:
        'this API key was made for another certificate of hospitala-doctor (the network or the identity was made anew since); create a new key',
    });
    const renewed = apiKeys.create(
      'hospitala-doctor',
      'ward',
      wallet.load('hospitala-doctor').certificateSha256,
    );
    expect((await auth.authenticate({ 'x-api-key': renewed.key })).identity).toBe('hospitala-doctor');
  });

  it('keeps accepting a key made before keys were bound (no certificate recorded)', async () => {
    const wallet = new Wallet([entryOf('hospitala-doctor', first)]);
    const apiKeys = new ApiKeyStore(join(dir, 'legacy.json'));
    const legacy = apiKeys.create('hospitala-doctor');
    const auth = newAuthenticator({ wallet, apiKeys });
    expect((await auth.authenticate({ 'x-api-key': legacy.key })).identity).toBe('hospitala-doctor');
  });

  it('refuses a bound key whose identity can no longer be read', async () => {
    const certPath = join(dir, 'broken-cert.pem');
    writeFileSync(certPath, 'not a certificate');
    const wallet = new Wallet([entryOf('hospitala-doctor', first)]);
    const apiKeys = new ApiKeyStore(join(dir, 'broken.json'));
    const bound = apiKeys.create('hospitala-doctor', '', wallet.load('hospitala-doctor').certificateSha256);
    wallet.replaceAll([{ ...entryOf('hospitala-doctor', first), certPath }]);
    await expect(
      newAuthenticator({ wallet, apiKeys }).authenticate({ 'x-api-key': bound.key }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
