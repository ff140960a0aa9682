import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ApiKeyStore } from '../auth/api-key-store';
import { loadConfig } from '../config';

const usage = `Usage: npm run apikey -- <command> [options]

Commands:
  create --identity NAME [--label TEXT]   create a key for a wallet identity (printed once)
  list                                    list keys (ids, identities, dates; never the keys)
  revoke --id KEY_ID                      revoke a key

Options:
  --store FILE   the key store (default: $API_KEYS_FILE or <CARELEDGER_DATA_DIR>/api-keys.json)
  -h, --help     this text
`;

function main(argv: string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        identity: { type: 'string' },
        label: { type: 'string' },
        id: { type: 'string' },
        store: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(usage);
    return 0;
  }
  const config = loadConfig();
  const store = new ApiKeyStore(
    values.store ?? config.API_KEYS_FILE ?? join(config.CARELEDGER_DATA_DIR, 'api-keys.json'),
  );
  switch (positionals[0]) {
    case 'create': {
      if (!values.identity) break;
      const { key, record } = store.create(values.identity, values.label ?? '');
      process.stdout.write(`${JSON.stringify({ keyId: record.keyId, identity: record.identity, key })}\n`);
      return 0;
    }
    case 'list':
      for (const r of store.list()) {
        process.stdout.write(
          `${r.keyId}\t${r.identity}\t${r.createdAt}\t${r.revokedAt ? `revoked ${r.revokedAt}` : 'active'}\t${r.label}\n`,
        );
      }
      return 0;
    case 'revoke':
      if (!values.id) break;
      if (!store.revoke(values.id)) {
        process.stderr.write(`no active key ${values.id}\n`);
        return 1;
      }
      return 0;
  }
  process.stderr.write(usage);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
