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
    if (known !== undefined && store.verify(known) === entry.name) continue;
    keys[entry.name] = store.create(entry.name, 'demo (npm start)').key;
    changed = true;
  }
  if (changed) writeFileSync(path, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return keys;
}
