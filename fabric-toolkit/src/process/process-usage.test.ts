import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpuSeconds, residentMemoryMB } from './process-usage';

const linux = process.platform === 'linux';

(linux ? describe : describe.skip)('process tree usage (Linux /proc)', () => {
  it('sums a process and its descendants, and counts nothing for a pid that does not exist', async () => {
    // A child that touches 64 MB, spins until it has used half a second of CPU (not of wall
    // time: on a busy machine that would be less CPU), says so, then waits.
    const child = spawn(
      process.execPath,
      [
        '-e',
        "globalThis.b = Buffer.alloc(64 * 2 ** 20, 1); const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; }; while (cpu() < 500); console.log('ready'); setInterval(() => {}, 1000);",
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await once(child.stdout, 'data');
      const childMB = residentMemoryMB([child.pid!])!;
      expect(childMB).toBeGreaterThan(64);
      // This process's tree includes the child.
      expect(residentMemoryMB([process.pid])!).toBeGreaterThan(childMB + 10);
      const childCpu = cpuSeconds([child.pid!])!;
      expect(childCpu).toBeGreaterThanOrEqual(0.4);
      expect(cpuSeconds([process.pid])!).toBeGreaterThan(childCpu);
      expect(residentMemoryMB([2 ** 22 + 12_345])).toBe(0);
      expect(cpuSeconds([2 ** 22 + 12_345])).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  });
});
