import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DevnetOrganisation } from './devnet-crypto';
import { fileCryptoProvider } from './file-crypto-provider';

const organisations: readonly DevnetOrganisation[] = [
  { mspId: 'Org1MSP', type: 'member', users: [{ name: 'alice', role: 'client', attrs: { team: 'a' } }] },
  { mspId: 'Org2MSP', type: 'member' },
];

describe('fileCryptoProvider', () => {
  it("generates the network once, each organisation's own users, and loads the same material on the next start", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'devnet-crypto-'));
    try {
      const first = await fileCryptoProvider(dataDir, organisations);
      const second = await fileCryptoProvider(dataDir, organisations);
      expect(second.peers.map((p) => p.identity.serialized.toString('base64'))).toEqual(
        first.peers.map((p) => p.identity.serialized.toString('base64')),
      );
      const names = [...second.identities.values()].flat().map((i) => i.name);
      expect(names.sort()).toEqual(['org1-admin', 'org1-alice', 'org2-admin']);
      const alice = [...second.identities.values()].flat().find((i) => i.name === 'org1-alice');
      expect(alice?.attrs).toEqual({ role: 'client', team: 'a' });
      expect(second.registry.mspIds()).toEqual(['Org1MSP', 'Org2MSP']);
      expect(
        second.peers.every((p) => second.registry.validateIdentity(p.identity.serialized).ou === 'peer'),
      ).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
