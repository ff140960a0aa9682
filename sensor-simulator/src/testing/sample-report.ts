import type { BenchReport, BenchRound } from '../report/bench-report';
import { compareModes } from '../report/bench-report';

/** A round with round numbers, for report-writer tests. */
export function sampleRound(
  mode: string,
  users: number,
  scale = 1,
  extra: Partial<BenchRound> = {},
): BenchRound {
  return {
    mode,
    users,
    rate: 1,
    sent: users * 10,
    succeeded: users * 10 - 1,
    failed: 1,
    failures: { TIMEOUT: 1 },
    sendRate: users,
    throughput: users * 0.99,
    transactions: users * 2,
    transactionRate: users * 0.2,
    latency: {
      count: users * 10 - 1,
      min: 2 * scale,
      mean: 10 * scale,
      p50: 8 * scale,
      p95: 20 * scale,
      p99: 40 * scale,
      max: 80 * scale,
    },
    refusalLatency: { count: 0, min: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 },
    breakdown: {},
    maxSendLag: 1,
    maxInFlight: 3,
    warmupSent: users,
    interrupted: false,
    ...extra,
  };
}

export function sampleReport(): BenchReport {
  const rounds = [
    sampleRound('rest', 1, 1.1),
    sampleRound('rest', 100, 1.2),
    sampleRound('direct', 1, 1),
    sampleRound('direct', 100, 1),
  ];
  return {
    tool: 'careledger-bench',
    startedAt: '2026-11-22T10:00:00.000Z',
    finishedAt: '2026-11-22T10:01:00.000Z',
    interrupted: false,
    settings: {
      users: [1, 100],
      rate: 1,
      warmup: 1,
      duration: 2,
      modes: ['rest', 'direct'],
      target: 'test',
      seed: 's',
      abnormalShare: 0.1,
    },
    machine: {
      platform: 'linux',
      release: '6',
      arch: 'x64',
      cpuModel: 'cpu',
      cpuCount: 2,
      cpuSpeedMHz: 2000,
      totalMemoryMB: 4096,
      freeMemoryMB: 2048,
      loadAverage: [0, 0, 0],
      node: 'v20',
      hostname: 'h',
    },
    rounds,
    comparison: compareModes(rounds),
  };
}
