import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Helpers for the tests of network/network.sh and its libraries. */
export const networkDir = resolve(__dirname, '..', 'network');
export const networkScript = join(networkDir, 'network.sh');

/** The libraries network.sh sources, in its order (read from network.sh itself). */
export const libs: readonly string[] = [
  ...readFileSync(networkScript, 'utf8').matchAll(/^# shellcheck source=lib\/([a-z-]+)\.sh$/gm),
].map((m) => m[1]!);

export interface ShellResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs network.sh with ARGS and the given environment additions. */
export function runNetworkSh(args: readonly string[], env: NodeJS.ProcessEnv = {}): ShellResult {
  const r = spawnSync('bash', [networkScript, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs SCRIPT in bash after sourcing the network libraries and network.env, as
 * network.sh does, with `vars` set first (like flags would).
 */
export function runWithLibs(script: string, vars: Readonly<Record<string, string>> = {}): ShellResult {
  const assignments = Object.entries(vars)
    .map(([k, v]) => `${k}=${shellQuote(v)}`)
    .join('\n');
  const sources = libs.map((l) => `. "$CL_NETWORK_DIR/lib/${l}.sh"`).join('\n');
  const program = [
    'set -euo pipefail',
    `CL_NETWORK_DIR=${shellQuote(networkDir)}`,
    `CL_REPO_ROOT=${shellQuote(resolve(networkDir, '..'))}`,
    sources,
    assignments,
    '. "$CL_NETWORK_DIR/network.env"',
    'CL_COUCHDB_USER=${CL_COUCHDB_USER:-admin} CL_COUCHDB_PASSWORD=${CL_COUCHDB_PASSWORD:-pw}',
    script,
  ].join('\n');
  const r = spawnSync('bash', ['-c', program], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) {
    throw new Error(`bash failed (${r.status}): ${r.stderr}`);
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix: string): { readonly dir: string; readonly remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Whether a command is on PATH. */
export function hasCommand(cmd: string): boolean {
  return spawnSync('bash', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}
