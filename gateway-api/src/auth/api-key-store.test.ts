import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKeyStore } from './api-key-store';

const storePath = () => join(mkdtempSync(join(tmpdir(), 'keystore-')), 'state', 'api-keys.json');

describe('ApiKeyStore', () => {
  it('creates random keys, stores only their SHA-256, owner-readable only', () => {
    const path = storePath();
    const store = new ApiKeyStore(path);
    const a = store.create('hospitala-doctor', 'ward tablet');
    const b = store.create('hospitala-doctor');
    expect(a.key).toMatch(/^clk_[A-Za-z0-9_-]{43}$/);
    expect(a.key).not.toBe(b.key);
    const file = readFileSync(path, 'utf8');
    expect(file).not.toContain(a.key.slice(4));
    expect(file).toContain(a.record.sha256);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('verifies a key after a reload from disk, and nothing else', () => {
    const path = storePath();
    const { key } = new ApiKeyStore(path).create('lab-technician');
    const reopened = new ApiKeyStore(path);
    expect(reopened.verify(key)).toBe('lab-technician');
    expect(reopened.verify(`${key}x`)).toBeUndefined();
    expect(reopened.verify(key.slice(4))).toBeUndefined();
    expect(reopened.verify(`clk_${'a'.repeat(500)}`)).toBeUndefined();
  });

  it('revokes by key id, durably', () => {
    const path = storePath();
    const store = new ApiKeyStore(path);
    const { key, record } = store.create('pharmacy-pharmacist');
    expect(store.revoke(record.keyId)).toBe(true);
    expect(store.revoke(record.keyId)).toBe(false);
    expect(store.verify(key)).toBeUndefined();
    expect(new ApiKeyStore(path).verify(key)).toBeUndefined();
    expect(new ApiKeyStore(path).list()[0]?.revokedAt).toEqual(expect.any(String));
  });

  it('sees keys created and revoked by another process (the admin command) while running', async () => {
    const path = storePath();
    const gateway = new ApiKeyStore(path, { refreshMs: 0 });
    const admin = new ApiKeyStore(path);
    await new Promise((r) => setTimeout(r, 20));
    const { key, record } = admin.create('hospitala-nurse');
    expect(gateway.verify(key)).toBe('hospitala-nurse');
    await new Promise((r) => setTimeout(r, 20));
    new ApiKeyStore(path).revoke(record.keyId);
    expect(gateway.verify(key)).toBeUndefined();
  });

  it('refuses a file that is not a key store', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'keystore-')), 'api-keys.json');
    writeFileSync(path, JSON.stringify({ version: 1, keys: [{ keyId: 'x' }] }));
    expect(() => new ApiKeyStore(path)).toThrow(/not a valid API-key store/);
  });
});
