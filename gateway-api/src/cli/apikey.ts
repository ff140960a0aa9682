import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConnectionFile, UsageError } from '@careledger/fabric-toolkit';
import { ApiKeyStore } from '../auth/api-key-store';
import { loadConfig, type Config } from '../config';
import { walletEntries } from '../gateway-server';
import { Wallet } from '../ledger/wallet';

const usage = `Usage: npm run apikey -- <command> [options]

Commands:
  create --org MSPID --user NAME [--label TEXT]   create a key for that organisation's user
  create --identity NAME [--label TEXT]           create a key for a wallet identity by name
  list                                            list keys (ids, identities, dates; never the keys)
  revoke --id KEY_ID                              revoke a key
  identities                                      list the wallet's identities

The key is printed once; the store keeps only its SHA-256.

Options:
  --store FILE        key store (default: $API_KEYS_FILE or <CARELEDGER_DATA_DIR>/api-keys.json)
  --connection FILE   connection file whose identities form the wallet (default:
                      $CARELEDGER_CONNECTION or <CARELEDGER_DATA_DIR>/devnet/connection.json)
  -h, --help          this text
`;

async function loadWallet(config: Config, connection: string | undefined): Promise<Wallet> {
  const path =
    connection ??
    config.CARELEDGER_CONNECTION ??
    join(config.CARELEDGER_DATA_DIR, 'devnet', 'connection.json');
  if (!existsSync(path)) {
    throw new UsageError(`no connection file at ${path} (run npm start once, or pass --connection FILE)`);
  }
  return new Wallet(walletEntries(await loadConnectionFile(path)));
}

/** Run the command; returns the exit code (2 for a usage error). */
export async function runApiKeyCli(
  argv: readonly string[],
  env: NodeJS.ProcessEnv | undefined,
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        org: { type: 'string' },
        user: { type: 'string' },
        identity: { type: 'string' },
        label: { type: 'string' },
        id: { type: 'string' },
        store: { type: 'string' },
        connection: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      out(usage);
      return 0;
    }
    const config = loadConfig(env);
    const store = () =>
      new ApiKeyStore(
        values.store ?? config.API_KEYS_FILE ?? join(config.CARELEDGER_DATA_DIR, 'api-keys.json'),
      );
    switch (positionals[0]) {
      case 'create': {
        const wallet = await loadWallet(config, values.connection);
        let name = values.identity;
        if (name === undefined) {
          if (!values.org || !values.user)
            throw new UsageError('create needs --org and --user, or --identity');
          name = wallet.find(values.org, values.user)?.name;
          if (name === undefined)
            throw new UsageError(`no single identity '${values.user}' in ${values.org}`);
        }
        const entry = wallet.entry(name);
        if (!entry)
          throw new UsageError(`no identity '${name}' in the wallet (see: npm run apikey -- identities)`);
        const { key, record } = store().create(
          entry.name,
          values.label ?? '',
          wallet.load(entry.name).certificateSha256,
        );
        out(
          `${JSON.stringify({ keyId: record.keyId, identity: entry.name, mspId: entry.mspId, role: entry.role, key })}\n`,
        );
        return 0;
      }
      case 'list':
        for (const r of store().list()) {
          const state = r.revokedAt ? `revoked ${r.revokedAt}` : 'active';
          out(`${r.keyId}\t${r.identity}\t${r.createdAt}\t${state}\t${r.label}\n`);
        }
        return 0;
      case 'revoke':
        if (!values.id) throw new UsageError('revoke needs --id KEY_ID');
        if (!store().revoke(values.id)) {
          err(`no active key ${values.id}\n`);
          return 1;
        }
        return 0;
      case 'identities':
        for (const e of (await loadWallet(config, values.connection)).entries()) {
          out(`${e.name}\t${e.mspId}\t${e.role}\n`);
        }
        return 0;
      default:
        throw new UsageError(
          positionals[0] === undefined ? 'a command is needed' : `unknown command ${positionals[0]}`,
        );
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const isUsage = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    err(isUsage ? `${message}\n\n${usage}` : `apikey: ${message}\n`);
    return isUsage ? 2 : 1;
  }
}

if (require.main === module) {
  void runApiKeyCli(
    process.argv.slice(2),
    undefined,
    (t) => process.stdout.write(t),
    (t) => process.stderr.write(t),
  ).then((code) => {
    process.exitCode = code;
  });
}
