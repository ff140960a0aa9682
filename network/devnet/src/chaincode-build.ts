import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';

/**
 * Builds a Node chaincode directory (`npm run build` there) when its package.json `main` is
 * missing or older than a file under `src/` or under one of `moreSources` (e.g. a package the
 * chaincode builds with); a chaincode without a build script is left as is.
 * @throws Error when the build fails (with its last output lines).
 */
export async function ensureChaincodeBuilt(
  dir: string,
  logger: Logger,
  moreSources: readonly string[] = [],
): Promise<void> {
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
    main?: string;
    scripts?: Record<string, string>;
  };
  if (pkg.scripts?.build === undefined) return;
  const main = resolve(dir, pkg.main ?? 'index.js');
  const built = existsSync(main) ? (await stat(main)).mtimeMs : -1;
  const source = Math.max(...(await Promise.all([join(dir, 'src'), ...moreSources].map(newestMtime))));
  if (built >= 0 && source <= built) return;
  logger.info({ dir, reason: built < 0 ? 'not built' : 'sources changed' }, 'building the chaincode');
  const output: string[] = [];
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn('npm', ['run', 'build'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer): void => {
      output.push(
        ...chunk
          .toString()
          .split('\n')
          .filter((l) => l.trim() !== ''),
      );
      output.splice(0, Math.max(0, output.length - 20));
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.once('error', fail);
    child.once('exit', done);
  });
  if (code !== 0)
    throw new Error(`building the chaincode in ${dir} failed (exit ${code}):\n${output.join('\n')}`);
}

async function newestMtime(dir: string): Promise<number> {
  if (!existsSync(dir)) return -1;
  let newest = -1;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const mtime = (await stat(join(entry.parentPath, entry.name))).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}
