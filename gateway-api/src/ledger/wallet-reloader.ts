import { stat } from 'node:fs/promises';
import { loadConnectionFile, type ConnectionFile } from '@careledger/fabric-toolkit';
import type { Logger } from 'pino';
import type { Wallet, WalletEntry } from './wallet';

/** A running watch of a connection file; `stop` ends it. */
export interface WalletReloader {
  /** Reads the file now if it changed (the poll does this every `intervalMs`). */
  check(): Promise<void>;
  stop(): void;
}

/**
 * Keeps a wallet in step with its connection file while the gateway runs: when the file changes
 * (`network.sh addUser` writes it with the new identity; `up` after `down` with every certificate
 * new), the wallet takes the file's identities again, so a new identity can be used at once and
 * a replaced certificate is read again. A file that cannot be read or parsed keeps the wallet as
 * it was (logged); the next change is read again.
 */
export function watchConnectionFile(options: {
  readonly path: string;
  readonly wallet: Wallet;
  readonly entriesOf: (connection: ConnectionFile) => WalletEntry[];
  readonly logger: Logger;
  /** How often the file's modification time is checked (default 1 s). */
  readonly intervalMs?: number;
}): WalletReloader {
  let seen: number | undefined;
  let running: Promise<void> | undefined;
  const mtimeOf = async (): Promise<number | undefined> => {
    try {
      return (await stat(options.path)).mtimeMs;
    } catch {
      return undefined;
    }
  };
  const reload = async (): Promise<void> => {
    const mtime = await mtimeOf();
    if (mtime === undefined || mtime === seen) return;
    try {
      const entries = options.entriesOf(await loadConnectionFile(options.path));
      seen = mtime;
      const { added, removed } = options.wallet.replaceAll(entries);
      options.logger.info(
        { added, removed, identities: entries.length },
        'connection file changed; wallet reloaded',
      );
    } catch (err) {
      seen = mtime;
      options.logger.warn(
        { err: (err as Error).message },
        'connection file changed but cannot be read; wallet kept',
      );
    }
  };
  const check = (): Promise<void> => (running ??= reload().finally(() => (running = undefined)));
  void mtimeOf().then((m) => (seen ??= m));
  const timer = setInterval(() => void check(), options.intervalMs ?? 1000);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}
