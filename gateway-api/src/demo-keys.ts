import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { ApiKeyStore } from './auth/api-key-store';
import type { Wallet } from './ledger/wallet';

/**
 * DEVELOPMENT FIXTURE, generated at run time: one API key per demo identity of the embedded
 * network, kept in clear in `<dataDir>/demo-api-keys.json` (mode 0600) so that `npm start`
 * can print working curl examples on every run. Never used with a real network.
 */
export function ensureDemoKeys(path: string, wallet: Wallet, store: ApiKeyStore): Record<string, string> {
  const keys: Record<string, string> = existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>)
    : {};
  let changed = false;
  for (const entry of wallet.entries()) {
    const known = keys[entry.name];
    const certificate = wallet.load(entry.name).certificateSha256;
    const record = known === undefined ? undefined : store.verifyRecord(known);
    // Kept while it is this identity's and bound to its current certificate (a ledger made anew
    // issues new certificates: its demo keys are made anew too).
    if (record?.identity === entry.name && record.certificateSha256 === certificate) continue;
    keys[entry.name] = store.create(entry.name, 'demo (npm start)', certificate).key;
    changed = true;
  }
  if (changed) writeFileSync(path, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return keys;
}
