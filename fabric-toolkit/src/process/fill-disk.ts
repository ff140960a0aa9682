import { execFileSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Fills the file system `dir` lives on, with one file in `dir`, until a write fails with ENOSPC
 * (megabytes, then pages, then bytes, so that nothing is left); answers the file, whose removal
 * frees the space again. For fault tests: a full disk, for real.
 * @throws the write's error when it fails otherwise.
 */
export function fillDisk(dir: string): string {
  const filler = join(dir, 'filler');
  const fd = openSync(filler, 'w');
  try {
    for (const size of [1024 * 1024, 4096, 64]) {
      const chunk = Buffer.alloc(size, 1);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return filler;
}

/**
 * Mounts a tmpfs of `sizeMb` at `dir`, a disk small enough to fill (needs root).
 * @returns why it could not, or undefined when mounted.
 */
export function mountSmallDisk(dir: string, sizeMb: number): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { stdio: 'pipe' });
    return undefined;
  } catch (err) {
    return `mounting a ${sizeMb} MB tmpfs needs root (${(err as Error).message.split('\n')[0]})`;
  }
}

/** Unmounts what `mountSmallDisk` mounted; nothing when nothing is mounted there. */
export function unmountSmallDisk(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'pipe' });
  } catch {
    // not mounted
  }
}
