import type { BenchReport, BenchRound } from './bench-report';

/** Draws rows as a box table in the style of Hyperledger Caliper's report. */
export function boxTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const line = (cells: readonly string[]) =>
    `|${widths.map((w, i) => ` ${(cells[i] ?? '').padEnd(w)} `).join('|')}|`;
  return [rule, line(header), rule, ...rows.map(line), rule].join('\n');
}

const ms = (x: number) => x.toFixed(1);
const tps = (x: number) => x.toFixed(1);

/** Transactions and tx/s, blank when the server reported no transaction ids. */
function transactionCells(r: BenchRound): [string, string] {
  return r.transactions > 0 ? [String(r.transactions), tps(r.transactionRate)] : ['', ''];
}

function failureText(failures: Readonly<Record<string, number>>): string {
  return Object.entries(failures)
    .map(([code, n]) => `${code}=${n}`)
    .join(' ');
}

/**
 * The terminal summary: one row per round (Caliper's columns plus percentiles, distinct
 * transactions and failure codes), then the REST/direct ratios when both modes ran. Rates of
 * readings (requests) and of transactions are apart: batching puts many readings in one.
 */
export function formatTable(report: Pick<BenchReport, 'rounds' | 'comparison'>): string {
  const header = [
    'Name',
    'Users',
    'Succ',
    'Fail',
    'Send Rate (readings/s)',
    'Min (ms)',
    'Avg (ms)',
    'p50 (ms)',
    'p95 (ms)',
    'p99 (ms)',
    'Max (ms)',
    'Throughput (readings/s)',
    'Tx',
    'Tx/s',
    'Failures',
  ];
  const withMemory = report.rounds.some((r) => r.serverMemoryMB !== undefined);
  if (withMemory) header.push('Server RSS (MB)');
  const rows = report.rounds.map((r) => [
    `${r.mode}-${r.users}${r.interrupted ? '*' : ''}`,
    String(r.users),
    String(r.succeeded),
    String(r.failed),
    tps(r.sendRate),
    ms(r.latency.min),
    ms(r.latency.mean),
    ms(r.latency.p50),
    ms(r.latency.p95),
    ms(r.latency.p99),
    ms(r.latency.max),
    tps(r.throughput),
    ...transactionCells(r),
    failureText(r.failures),
    ...(withMemory ? [r.serverMemoryMB === undefined ? '' : r.serverMemoryMB.toFixed(0)] : []),
  ]);
  let out = boxTable(header, rows);
  if (report.comparison.length > 0) {
    const pct = (x: number) => (x > 0 ? `${((x - 1) * 100).toFixed(1)} %` : 'n/a');
    out +=
      '\n\nREST gateway cost (REST latency / direct latency)\n' +
      boxTable(
        ['Users', 'Avg ratio', 'p50 ratio', 'p99 ratio', 'Added (avg)'],
        report.comparison.map((c) => [
          String(c.users),
          c.meanRatio.toFixed(3),
          c.p50Ratio.toFixed(3),
          c.p99Ratio.toFixed(3),
          pct(c.meanRatio),
        ]),
      );
  }
  if (report.rounds.some((r) => r.interrupted))
    out += '\n* interrupted: the round was stopped before its end';
  return out;
}
