import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  certificateSha256,
  identityNamed,
  loadConnectionFile,
  spawnUntilReady,
  type ConnectionFile,
} from '@careledger/fabric-toolkit';
import { ApiKeyStore } from './auth/api-key-store';

/**
 * A connection file read again only when it changed: a benchmark makes one key per device, and
 * parsing a file of a thousand identities for each would cost seconds.
 */
function connectionFileAsItIs(path: string): { current(): Promise<ConnectionFile> } {
  let cached: { mtimeMs: number; file: ConnectionFile } | undefined;
  return {
    current: async () => {
      const { mtimeMs } = await stat(path);
      if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, file: await loadConnectionFile(path) };
      return cached.file;
    },
  };
}

/** The REST gateway running in its own process. */
export interface GatewayProcess {
  readonly pid: number;
  readonly url: string;
  /**
   * A new API key for an identity of the gateway's connection file (as it is now: one added to it
   * while the gateway runs included), bound to its certificate; the running gateway accepts it
   * within a second.
   * @throws Error when the connection file has no such identity.
   */
  createApiKey(identity: string, label: string): Promise<string>;
  /** SIGTERM, then wait for the exit (in-flight requests are drained). */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would end it. */
  kill(): Promise<void>;
}

/**
 * Starts the REST gateway (`npm start --connection FILE`) against an existing network's connection
 * file, in a child process of its own, as it runs in production: it does not share an event loop
 * with its clients or the network. Resolves with its URL once it serves (announced over IPC).
 * @throws Error with the gateway's last output if it exits or is not ready within `timeoutMs`.
 */
export async function spawnGateway(options: {
  readonly connectionFile: string;
  readonly dataDir: string;
  readonly timeoutMs?: number;
  /** Extra Node.js flags for the gateway process (e.g. heap limits). */
  readonly nodeArgs?: readonly string[];
  /** Each line the gateway logs (pino JSON, anything on stderr); default: dropped. */
  readonly onLog?: (line: string) => void;
}): Promise<GatewayProcess> {
  const dataDir = resolve(options.dataDir);
  // Its key store is the data directory's, where `createApiKey` writes.
  const { API_KEYS_FILE: _keys, ...env } = process.env;
  const child = await spawnUntilReady<{ url: string }>({
    name: 'the REST gateway',
    script: resolve(__dirname, 'main.ts'),
    args: ['--connection', resolve(options.connectionFile), '--data-dir', dataDir, '--port', '0'],
    nodeArgs: options.nodeArgs,
    env: { ...env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    // Its log lines (pino JSON, or anything on stderr), not the banner and examples on stdout.
    onLog: (line, stream) => {
      if (stream === 'stderr' || line.startsWith('{')) options.onLog?.(line);
    },
    timeoutMs: options.timeoutMs ?? 60_000,
  });
  const connection = connectionFileAsItIs(options.connectionFile);
  // The gateway reloads its key store when the file changes.
  const apiKeys = new ApiKeyStore(join(dataDir, 'api-keys.json'));
  return {
    pid: child.pid,
    url: child.ready.url,
    createApiKey: async (identity, label) => {
      const entry = identityNamed(await connection.current(), identity);
      return apiKeys.create(identity, label, certificateSha256(readFileSync(entry.certPath))).key;
    },
    stop: child.stop,
    kill: child.kill,
  };
}
