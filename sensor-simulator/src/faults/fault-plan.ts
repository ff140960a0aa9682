import { execFileSync } from 'node:child_process';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerFaults } from '../target/embedded-target';

/** One fault: what it does to the servers, and for how long. */
export interface FaultStep {
  readonly name: string;
  /** Injects the fault, holds it, and ends it; resolves once the servers were told to come back. */
  run(servers: ServerFaults): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Fills the file system of `dir` until a write fails with ENOSPC; answers the filler file. */
function fillDisk(dir: string): string {
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
 * Mounts a tmpfs of `sizeMb` at `dir` so that a fault can fill it (needs root).
 * @returns why it could not, or undefined when mounted.
 */
export function mountSmallDisk(dir: string, sizeMb: number): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { stdio: 'pipe' });
    return undefined;
  } catch (err) {
    return `mounting a tmpfs needs root (${(err as Error).message.split('\n')[0]})`;
  }
}

export function unmountSmallDisk(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'pipe' });
  } catch {
    // not mounted
  }
}

/** The faults of issue-style resilience runs, in order; `outageMs` is how long each outage lasts. */
export function faultPlan(options: {
  readonly outageMs: number;
  readonly pauseMs: number;
  readonly diskFull: boolean;
}): FaultStep[] {
  const { outageMs, pauseMs } = options;
  const steps: FaultStep[] = [
    {
      name: 'kill -9 of the gateway',
      run: async (s) => {
        await s.killGateway();
        await sleep(outageMs);
        await s.startGateway();
      },
    },
    {
      name: 'kill -9 of the network',
      run: async (s) => {
        await s.killNetwork();
        await sleep(outageMs);
        await s.startNetwork();
      },
    },
    {
      name: 'kill -9 of both',
      run: async (s) => {
        await Promise.all([s.killGateway(), s.killNetwork()]);
        await sleep(outageMs);
        await s.startNetwork();
        await s.startGateway();
      },
    },
    {
      name: `SIGSTOP of the network for ${Math.round(pauseMs / 1000)} s`,
      run: async (s) => {
        s.pauseNetwork();
        await sleep(pauseMs);
        s.resumeNetwork();
      },
    },
  ];
  if (options.diskFull) {
    steps.push({
      name: 'a full disk',
      run: async (s) => {
        const filler = fillDisk(s.dataDir);
        await sleep(outageMs);
        rmSync(filler);
      },
    });
  }
  return steps;
}
