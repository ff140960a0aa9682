import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { residentMemoryMB } from './process-memory';

const linux = process.platform === 'linux';

(linux ? describe : describe.skip)('residentMemoryMB (Linux /proc)', () => {
  it('sums a process and its descendants, and counts nothing for a pid that does not exist', async () => {
    // A child that touches 64 MB and says so, then waits to be killed.
    const child = spawn(
      process.execPath,
      [
        '-e',
        "globalThis.b = Buffer.alloc(64 * 2 ** 20, 1); console.log('ready'); setInterval(() => {}, 1000);",
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await once(child.stdout, 'data');
      const childMB = residentMemoryMB([child.pid!])!;
      expect(childMB).toBeGreaterThan(64);
      const ownMB = residentMemoryMB([process.pid])!;
      // This process's tree includes the child.
      expect(ownMB).toBeGreaterThan(childMB + 10);
      expect(residentMemoryMB([2 ** 22 + 12_345])).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  });
});
