// `npm run bench:devnet [-- --levels 1,10,50,200 --duration-ms 5000 --policy MAJORITY --cpu-prof-dir DIR --node-arg FLAG]`: how fast a
// submit commits on the embedded network. Starts a devnet (child process) with the gateway test
// chaincode on a temporary directory, then at each concurrency level keeps that many clients
// submitting a write of a fresh key for the duration, and prints throughput and latency
// (endorse → submit → commit status). Figures are printed, not asserted. CPU time per committed
// transaction is measured apart for the devnet (its process tree, chaincode included) and for
// this load generator, since on a small machine they share the cores.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { clientAs, cpuSeconds } from '@careledger/fabric-toolkit';
import { spawnDevnet } from './spawn-devnet';

const { values } = parseArgs({
  options: {
    levels: { type: 'string', default: '1,10,50,200' },
    'duration-ms': { type: 'string', default: '5000' },
    policy: { type: 'string', default: 'MAJORITY' },
    identity: { type: 'string', default: 'hospitala-device' },
    'cpu-prof-dir': { type: 'string' },
    'node-arg': { type: 'string', multiple: true, default: [] },
  },
});
const levels = values.levels.split(',').map(Number);
const durationMs = Number(values['duration-ms']);

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'devnet-bench-'));
  const devnet = await spawnDevnet({
    // Four organisations with a few users each (the emulator's test network).
    script: resolve(__dirname, '..', 'test', 'fixtures', 'four-org-devnet.ts'),
    dataDir,
    port: 0,
    chaincodeDir: resolve(__dirname, '..', 'test', 'fixtures', 'gateway-chaincode'),
    chaincodeName: 'bench',
    policy: values.policy,
    logLevel: 'warn',
    nodeArgs: [
      ...values['node-arg'],
      ...(values['cpu-prof-dir'] === undefined
        ? []
        : ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof-dir']}`]),
    ],
  });
  const client = await clientAs(devnet.connection, values.identity);
  const contract = client.contract();
  process.stdout.write(
    `devnet commit benchmark: policy ${values.policy}, ${durationMs} ms per level, one put of a fresh key per transaction\n\n` +
      'clients | committed | failed |   tx/s | mean ms |  p50 |  p95 |  p99 |  max | devnet CPU ms/tx | client CPU ms/tx | devnet alone, tx/s\n' +
      '------: | --------: | -----: | -----: | ------: | ---: | ---: | ---: | ---: | ---------------: | ---------------: | -----------------:\n',
  );
  let sequence = 0;
  try {
    for (const level of levels) {
      const latencies: number[] = [];
      let failed = 0;
      const devnetCpuBefore = cpuSeconds([devnet.pid]);
      const clientCpuBefore = process.cpuUsage();
      const started = performance.now();
      const worker = async (): Promise<void> => {
        while (performance.now() - started < durationMs) {
          const t0 = performance.now();
          sequence += 1;
          try {
            const commit = await contract.submitAsync('put', {
              arguments: [`bench-${sequence}`, 'x'.repeat(200)],
            });
            if ((await commit.getStatus()).successful) latencies.push(performance.now() - t0);
            else failed += 1;
          } catch {
            failed += 1;
          }
        }
      };
      await Promise.all(Array.from({ length: level }, () => worker()));
      const elapsed = (performance.now() - started) / 1000;
      const devnetCpuAfter = cpuSeconds([devnet.pid]);
      const clientCpu = process.cpuUsage(clientCpuBefore);
      const perTx = (seconds: number | undefined): number =>
        seconds === undefined || latencies.length === 0 ? NaN : (seconds * 1000) / latencies.length;
      const devnetMsPerTx = perTx(
        devnetCpuAfter === undefined || devnetCpuBefore === undefined
          ? undefined
          : devnetCpuAfter - devnetCpuBefore,
      );
      const clientMsPerTx = perTx((clientCpu.user + clientCpu.system) / 1e6);
      const sorted = [...latencies].sort((a, b) => a - b);
      const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
      const row = [
        String(level).padStart(7),
        String(sorted.length).padStart(9),
        String(failed).padStart(6),
        (sorted.length / elapsed).toFixed(0).padStart(6),
        mean.toFixed(1).padStart(7),
        ...[50, 95, 99, 100].map((p) => percentile(sorted, p).toFixed(0).padStart(4)),
        devnetMsPerTx.toFixed(2).padStart(16),
        clientMsPerTx.toFixed(2).padStart(16),
        // What the devnet (and its chaincode process) would commit with every core to itself.
        ((availableParallelism() * 1000) / devnetMsPerTx).toFixed(0).padStart(18),
      ];
      process.stdout.write(`${row.join(' | ')}\n`);
    }
  } finally {
    client.close();
    await devnet.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:devnet failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
