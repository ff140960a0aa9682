import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Wallet, type WalletEntry } from './wallet';

const e = (name: string, mspId: string): WalletEntry => ({
  name,
  mspId,
  role: 'doctor',
  certPath: '/nonexistent/cert.pem',
  keyPath: '/nonexistent/key.pem',
  attrs: {},
});

describe('Wallet', () => {
  const wallet = new Wallet([
    e('hospitala-doctor', 'HospitalAMSP'),
    e('hospitalb-doctor', 'HospitalBMSP'),
    e('nurse', 'HospitalBMSP'),
    e('x-nurse', 'HospitalBMSP'),
  ]);

  it('finds an organisation’s user by exact name, else by the -user suffix, only when unique', () => {
    expect(wallet.find('HospitalAMSP', 'doctor')?.name).toBe('hospitala-doctor');
    expect(wallet.find('HospitalBMSP', 'nurse')?.name).toBe('nurse');
    expect(wallet.find('HospitalAMSP', 'nurse')).toBeUndefined();
    expect(wallet.find('LabMSP', 'doctor')).toBeUndefined();
  });

  it('refuses to load an unknown identity or unreadable files', () => {
    expect(() => wallet.load('nobody')).toThrow(/no identity 'nobody'/);
    expect(() => wallet.load('hospitala-doctor')).toThrow(/ENOENT/);
  });

  it('warms every readable identity ahead of use and reports the ones it cannot read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wallet-'));
    try {
      const entries = Array.from({ length: 5 }, (_, i): WalletEntry => {
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const keyPath = join(dir, `key-${i}.pem`);
        const certPath = join(dir, `cert-${i}.pem`);
        writeFileSync(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }));
        writeFileSync(certPath, 'certificate bytes');
        return { ...e(`device-${i}`, 'HospitalAMSP'), keyPath, certPath };
      });
      const warmed = new Wallet([...entries, e('broken', 'LabMSP')]);
      const failures: string[] = [];
      await warmed.warm((name) => failures.push(name), 2);
      expect(failures).toEqual(['broken']);
      // Loaded ahead: the files are no longer needed.
      rmSync(dir, { recursive: true, force: true });
      for (const entry of entries) expect(warmed.load(entry.name).identity.mspId).toBe('HospitalAMSP');
      expect(() => warmed.load('broken')).toThrow(/ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
