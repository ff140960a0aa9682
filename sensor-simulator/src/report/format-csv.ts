import type { BenchRound } from './bench-report';

const columns: readonly [string, (r: BenchRound) => string | number][] = [
  ['mode', (r) => r.mode],
  ['users', (r) => r.users],
  ['rate_per_user', (r) => r.rate],
  ['sent', (r) => r.sent],
  ['succeeded', (r) => r.succeeded],
  ['failed', (r) => r.failed],
  [
    'failures',
    (r) =>
      Object.entries(r.failures)
        .map(([c, n]) => `${c}=${n}`)
        .join(';'),
  ],
  ['send_rate_tps', (r) => r.sendRate.toFixed(3)],
  // Readings (successful requests) per second; the name predates the transaction columns.
  ['throughput_tps', (r) => r.throughput.toFixed(3)],
  // Distinct transactions and their rate; empty when the server reported no transaction ids.
  ['transactions', (r) => (r.transactions > 0 ? r.transactions : '')],
  ['transactions_per_s', (r) => (r.transactions > 0 ? r.transactionRate.toFixed(3) : '')],
  ['latency_min_ms', (r) => r.latency.min.toFixed(3)],
  ['latency_mean_ms', (r) => r.latency.mean.toFixed(3)],
  ['latency_p50_ms', (r) => r.latency.p50.toFixed(3)],
  ['latency_p95_ms', (r) => r.latency.p95.toFixed(3)],
  ['latency_p99_ms', (r) => r.latency.p99.toFixed(3)],
  ['latency_max_ms', (r) => r.latency.max.toFixed(3)],
  ['max_send_lag_ms', (r) => r.maxSendLag.toFixed(3)],
  ['max_in_flight', (r) => r.maxInFlight],
  ['warmup_sent', (r) => r.warmupSent],
  ['interrupted', (r) => String(r.interrupted)],
  ['server_rss_mb', (r) => (r.serverMemoryMB === undefined ? '' : r.serverMemoryMB.toFixed(1))],
];

function cell(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV row per round (RFC 4180 quoting), with a header row. */
export function formatCsv(rounds: readonly BenchRound[]): string {
  const lines = [columns.map(([name]) => name).join(',')];
  for (const round of rounds) lines.push(columns.map(([, get]) => cell(get(round))).join(','));
  return `${lines.join('\n')}\n`;
}
