import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';

export interface ChaincodeProcessOptions {
  /** The chaincode's directory (holds its package.json). */
  readonly chaincodeDir: string;
  /** host:port the chaincode server binds. */
  readonly address: string;
  /** `--chaincode-id`, the package ID (`label:hash`) the chaincode registers with. */
  readonly chaincodeId: string;
  readonly logger: Logger;
  /** Extra environment for the process. */
  readonly env?: Readonly<Record<string, string>>;
  /** fabric-shim's `cli.js`; found from the chaincode directory upwards when not given. */
  readonly shimCliPath?: string;
}

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

const KEPT_LINES = 20;

/**
 * A chaincode run as a service: `fabric-chaincode-node server --chaincode-address … --chaincode-id …`
 * in the chaincode's directory. Its output goes to the devnet's logger line by line; the last
 * lines are kept to explain an early exit.
 */
export class ChaincodeProcess {
  readonly #child: ChildProcess;
  readonly #lastLines: string[] = [];
  readonly exited: Promise<ProcessExit>;
  #exit: ProcessExit | undefined;

  private constructor(child: ChildProcess, logger: Logger) {
    this.#child = child;
    this.exited = new Promise((resolveExit) => {
      const done = (exit: ProcessExit): void => {
        this.#exit ??= exit;
        resolveExit(this.#exit);
      };
      child.once('exit', (code, signal) => done({ code, signal }));
      // 'error' without 'exit' means the process never started.
      child.once('error', (err) => {
        this.#keep(`spawn failed: ${err.message}`);
        if (child.pid === undefined) done({ code: null, signal: null });
      });
    });
    pipeLines(child.stdout, (line) => this.#log(logger, line, 'stdout'));
    pipeLines(child.stderr, (line) => this.#log(logger, line, 'stderr'));
  }

  /**
   * Starts the chaincode server process.
   * @throws Error if the directory has no package.json, its `main` file is missing (an unbuilt
   *   chaincode), or fabric-shim cannot be found.
   */
  static spawn(options: ChaincodeProcessOptions): ChaincodeProcess {
    const dir = resolve(options.chaincodeDir);
    checkChaincodeDir(dir);
    const cli = options.shimCliPath ?? findShimCli(dir);
    const args = [
      cli,
      'server',
      '--chaincode-address',
      options.address,
      '--chaincode-id',
      options.chaincodeId,
    ];
    // --no-deprecation: fabric-shim 2.5 calls grpc's deprecated Server.start() on every start.
    const nodeArgs = ['--no-deprecation', '--require', join(__dirname, 'parent-watchdog.js')];
    const child = spawn(process.execPath, [...nodeArgs, ...args, '--module-path', dir], {
      cwd: dir,
      env: { ...process.env, CORE_CHAINCODE_LOGGING_LEVEL: 'WARNING', ...options.env },
      // stdin stays open and unused: the watchdog exits the chaincode when it closes.
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new ChaincodeProcess(child, options.logger);
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Set once the process has exited. */
  get exit(): ProcessExit | undefined {
    return this.#exit;
  }

  /** "exited with code 1; last output: …", for error messages. */
  describeExit(): string {
    const exit = this.#exit;
    const how =
      exit === undefined
        ? 'is running'
        : exit.signal !== null
          ? `was killed by ${exit.signal}`
          : `exited with code ${String(exit.code)}`;
    const output = this.#lastLines.length > 0 ? `; last output:\n${this.#lastLines.join('\n')}` : '';
    return `chaincode process ${how}${output}`;
  }

  /** SIGTERM, then SIGKILL after `graceMs`. Resolves once the process has exited. */
  async stop(graceMs: number): Promise<void> {
    if (this.#exit !== undefined) return;
    this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  #log(logger: Logger, line: string, stream: 'stdout' | 'stderr'): void {
    this.#keep(line);
    // fabric-shim writes winston lines: "<timestamp> <level> [c-api:…] message".
    const level = /^\S+\s+(error|warn|info|debug)\b/.exec(line)?.[1];
    if (level === 'error') logger.error({ stream }, line);
    else if (level === 'warn' || (level === undefined && stream === 'stderr')) logger.warn({ stream }, line);
    else logger.info({ stream }, line);
  }

  #keep(line: string): void {
    this.#lastLines.push(line);
    if (this.#lastLines.length > KEPT_LINES) this.#lastLines.shift();
  }
}

function pipeLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (stream === null) return;
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) emit(line);
  });
  stream.on('end', () => emit(rest));
  function emit(raw: string): void {
    // eslint-disable-next-line no-control-regex
    const line = raw.replace(/\u001b\[[0-9;]*m/g, '').trimEnd();
    if (line !== '') onLine(line);
  }
}

function checkChaincodeDir(dir: string): void {
  const packageJson = join(dir, 'package.json');
  if (!existsSync(packageJson)) throw new Error(`chaincode directory ${dir} has no package.json`);
  const main = (JSON.parse(readFileSync(packageJson, 'utf8')) as { main?: unknown }).main;
  if (typeof main !== 'string' || main === '') {
    throw new Error(`${packageJson} has no "main" entry: fabric-chaincode-node needs one`);
  }
  const mainPath = join(dir, main);
  if (!existsSync(mainPath) && !existsSync(`${mainPath}.js`)) {
    throw new Error(`chaincode entry ${mainPath} does not exist: build the chaincode first`);
  }
}

/** fabric-shim's CLI as Node resolves it from the chaincode directory. */
export function findShimCli(dir: string): string {
  for (let current = dir; ; current = dirname(current)) {
    const candidate = join(current, 'node_modules', 'fabric-shim', 'cli.js');
    if (existsSync(candidate)) return candidate;
    if (dirname(current) === current) break;
  }
  throw new Error(
    `fabric-shim is not installed for the chaincode in ${dir} (no node_modules/fabric-shim/cli.js in it or above it): run npm install in ${dir}`,
  );
}
