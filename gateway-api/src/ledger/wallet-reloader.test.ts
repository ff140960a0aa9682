import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createOrganization,
  enrollUser,
  writeConnectionFile,
  type ConnectionFile,
} from '@careledger/fabric-toolkit';
import pino from 'pino';
import { walletEntries } from '../gateway-server';
import { Wallet } from './wallet';
import { watchConnectionFile } from './wallet-reloader';

describe('watchConnectionFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wallet-reload-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds identities written to the connection file while it runs, and keeps the wallet when the file is broken', async () => {
    await createOrganization(dir, { mspId: 'HospitalAMSP', kind: 'peer', nodes: 1 });
    const nurse = await enrollUser(dir, { mspId: 'HospitalAMSP', name: 'nurse', role: 'nurse' });
    writeFileSync(join(dir, 'ca.pem'), 'CA');
    const file = (users: (typeof nurse)[]): ConnectionFile => ({
      version: 1,
      gatewayEndpoint: 'localhost:7051',
      tlsCaPath: join(dir, 'ca.pem'),
      channel: 'healthchannel',
      chaincode: 'careledger',
      organisations: [
        {
          mspId: 'HospitalAMSP',
          type: 'hospital',
          identities: users.map(({ name, role, certPath, keyPath, attrs }) => ({
            name,
            role,
            certPath,
            keyPath,
            attrs,
          })),
        },
      ],
    });
    const path = join(dir, 'connection.json');
    await writeConnectionFile(path, file([nurse]));
    const wallet = new Wallet(walletEntries(file([nurse])));
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    const reloader = watchConnectionFile({
      path,
      wallet,
      entriesOf: walletEntries,
      logger,
      intervalMs: 60_000,
    });
    try {
      await reloader.check();
      expect(wallet.entries().map((e) => e.name)).toEqual(['hospitala-nurse']);

      const locum = await enrollUser(dir, { mspId: 'HospitalAMSP', name: 'locum', role: 'doctor' });
      await new Promise((r) => setTimeout(r, 20)); // a new modification time
      await writeConnectionFile(path, file([nurse, locum]));
      await reloader.check();
      expect(wallet.entries().map((e) => e.name)).toEqual(['hospitala-nurse', 'hospitala-locum']);
      expect(wallet.load('hospitala-locum').certificateSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(lines.join('')).toContain('"added":["hospitala-locum"]');

      await new Promise((r) => setTimeout(r, 20));
      writeFileSync(path, '{ half written');
      await reloader.check();
      expect(wallet.entries().map((e) => e.name)).toEqual(['hospitala-nurse', 'hospitala-locum']);
      expect(lines.join('')).toContain('cannot be read; wallet kept');
    } finally {
      reloader.stop();
    }
  });
});
