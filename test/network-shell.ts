import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
 * network.sh does, with `vars` set first (like flags would); throws when bash fails.
 */
export function runWithLibs(
  script: string,
  vars: Readonly<Record<string, string>> = {},
  options: RunOptions = {},
): ShellResult {
  const r = runLibs(script, vars, options);
  if (r.status !== 0) {
    throw new Error(`bash failed (${r.status}): ${r.stderr}`);
  }
  return r;
}

export interface RunOptions {
  /**
   * Run in a network namespace of its own (`unshare --net`, loopback only; needs root, as CI
   * runs): its ports are free whatever the host runs, e.g. a devnet on 7051.
   */
  readonly ownNetwork?: boolean;
}

/** As runWithLibs, but returns a failure (status and output) instead of throwing. */
export function runLibs(
  script: string,
  vars: Readonly<Record<string, string>> = {},
  options: RunOptions = {},
): ShellResult {
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
  const r = options.ownNetwork
    ? spawnSync('unshare', ['--net', 'bash', '-c', `ip link set lo up\n${program}`], {
        encoding: 'utf8',
        timeout: 30_000,
      })
    : spawnSync('bash', ['-c', program], { encoding: 'utf8', timeout: 30_000 });
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

function writeTool(bin: string, name: string, body: string): void {
  writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
}

/**
 * DIR/bin holding only bash, node, the coreutils network.sh uses and `tools` (name → sh body):
 * a PATH on which anything else — Fabric, docker, npm, openssl — is missing.
 */
export function bareBin(dir: string, tools: Readonly<Record<string, string>> = {}): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const tool of ['bash', 'node', 'dirname', 'basename', 'sed', 'seq', 'od', 'tr', 'mkdir', 'cat'].concat(
    ['head', 'grep', 'cut', 'rm', 'sleep'],
  )) {
    const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    writeTool(bin, tool, `exec ${found} "$@"`);
  }
  for (const [name, body] of Object.entries(tools)) writeTool(bin, name, body);
  return bin;
}

/**
 * Fake Fabric CLIs (peer, orderer, configtxgen, osnadmin) in DIR/fabric-bin that report
 * version 2.5.5 and otherwise only record their arguments in DIR/calls; `bodies` replaces a
 * tool's behaviour (sh, after the recording). PATH puts them before the system's tools.
 */
export function fakeFabric(
  dir: string,
  bodies: Readonly<Record<string, string>> = {},
): { readonly path: string; readonly calls: () => string[] } {
  const bin = join(dir, 'fabric-bin');
  const log = join(dir, 'calls');
  mkdirSync(bin, { recursive: true });
  writeFileSync(log, '');
  for (const tool of ['peer', 'orderer', 'configtxgen', 'osnadmin', 'fabric-ca-client', 'fabric-ca-server']) {
    const version = `case "$1" in version|-version) echo ' Version: 2.5.5'; exit 0 ;; esac`;
    writeTool(bin, tool, `echo "${tool} $*" >>${shellQuote(log)}\n${version}\n${bodies[tool] ?? 'exit 0'}`);
  }
  return {
    path: `${bin}:${process.env.PATH ?? ''}`,
    calls: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => l !== '' && !/ -?version$/.test(l)),
  };
}

/** Writes RUN_DIR/network.state as `up` saves it, for a native network with `vars`. */
export function writeState(runDir: string, vars: Readonly<Record<string, string>> = {}): void {
  runWithLibs('save_state', {
    CL_RUN_DIR: runDir,
    CL_MODE: 'native',
    CL_ORDERERS: '1',
    CL_CA_ADMIN_PASSWORD: 'ca-secret',
    ...vars,
  });
}
