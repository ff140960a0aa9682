import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '@careledger/fabric-toolkit';
import { formatVerifyReport, verifyLedger } from './ledger';

/** What the devnet command that hands `verify` over presets (`DevnetProfile`). */
export interface VerifyCliOptions {
  /** How the person at the terminal runs the devnet (`npm run devnet`), for the usage text. */
  readonly command?: string;
  /** The devnet's default data directory (`DevnetDefaults.dataDir`); else `.devnet`. */
  readonly dataDir?: string;
}

interface VerifyArgs {
  readonly dataDir: string;
  readonly json: boolean;
}

/** The usage text of `<command> -- verify`. */
export function verifyUsageOf(command: string, defaultDataDir?: string): string {
  return `Usage: ${command} -- verify [--data-dir DIR] [--json]

Checks a stopped devnet's ledger (<data-dir>/ledger) against its own blocks, changing nothing: each
block's number, data hash and hash chain link, the header index and the recorded height; then the
world state, private data hashes, history and txId index that replaying the valid transactions
gives, against the stored ones. A running devnet holds the directory: stop it first.

  --data-dir DIR   the devnet's data directory (default: ${defaultDataDir ?? '.devnet in the current directory'})
  --json           print the report as JSON instead of the summary
  -h, --help       this help

Exit status: 0 consistent, 1 problems found or the ledger could not be opened, 2 usage error.
`;
}

/**
 * Reads the flags of `verify`; a relative --data-dir is the caller's (npm's INIT_CWD, else the
 * current directory), as for the devnet itself.
 * @throws UsageError for an unknown flag or a stray argument.
 */
export function readVerifyArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  defaultDataDir?: string,
): VerifyArgs | 'help' {
  let values: { 'data-dir'?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'data-dir': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help === true) return 'help';
  const dataDir = values['data-dir'] ?? env.DEVNET_DATA_DIR ?? defaultDataDir ?? '.devnet';
  if (dataDir === '') throw new UsageError('--data-dir needs a directory');
  return { dataDir: resolve(env.INIT_CWD ?? process.cwd(), dataDir), json: values.json === true };
}

/**
 * `verify`: checks the ledger of a devnet data directory (`verifyLedger`), prints the summary (or
 * with --json the report) and sets `process.exitCode`: 0 consistent, 1 problems found or the
 * ledger could not be opened (a running devnet holds it, there is none), 2 usage error.
 * @returns the exit code.
 */
export async function runVerifyCli(argv: readonly string[], options: VerifyCliOptions = {}): Promise<number> {
  const usage = verifyUsageOf(options.command ?? 'devnet', options.dataDir);
  const exit = (code: number): number => {
    process.exitCode = code;
    return code;
  };
  let args: VerifyArgs | 'help';
  try {
    args = readVerifyArgs(argv, process.env, options.dataDir);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`devnet verify: ${err.message}\n\n${usage}`);
    return exit(2);
  }
  if (args === 'help') {
    console.log(usage);
    return exit(0);
  }
  const ledgerDir = join(args.dataDir, 'ledger');
  if (!existsSync(join(ledgerDir, 'CURRENT'))) {
    console.error(
      `devnet verify: no devnet ledger in ${args.dataDir} (${ledgerDir} holds no LevelDB store); ` +
        '--data-dir is the directory the devnet ran with',
    );
    return exit(1);
  }
  const started = performance.now();
  try {
    const report = await verifyLedger(ledgerDir);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      args.json
        ? JSON.stringify(report, null, 2)
        : `${formatVerifyReport(report, ledgerDir)}\n(checked in ${seconds} s)`,
    );
    return exit(report.ok ? 0 : 1);
  } catch (err) {
    console.error(`devnet verify: ${err instanceof Error ? err.message : String(err)}`);
    return exit(1);
  }
}
