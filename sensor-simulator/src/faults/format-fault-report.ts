import type { FaultReport } from './run-faults';

const pad = (cells: readonly string[], widths: readonly number[]) =>
  cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');

/** The fault run as text: one line per fault, then the audit. */
export function formatFaultReport(report: FaultReport): string {
  const header = [
    'fault',
    'held s',
    '201 again after s',
    'sent',
    'resent',
    '201',
    '202',
    'refused (then resent)',
  ];
  const rows = report.phases.map((p) => [
    p.fault,
    (p.faultMs / 1000).toFixed(1),
    (p.recoveryMs / 1000).toFixed(1),
    String(p.sent),
    String(p.resends),
    String(p.committed),
    String(p.accepted),
    Object.entries(p.failures)
      .map(([code, n]) => `${code}=${n}`)
      .join(' ') || '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const a = report.audit;
  return [
    `${report.devices} devices × ${report.rate} readings/s (half answered 201, half 202 with Prefer: respond-async)`,
    pad(header, widths),
    ...rows.map((r) => pad(r, widths)),
    '',
    `acknowledged ${a.acknowledged}: ${a.committedWhenAnswered} answered 201/200, ` +
      `${a.acceptedThenCommitted + a.acceptedThenRefused + a.acceptedUnsettled} answered 202 ` +
      `(${a.acceptedThenCommitted} committed since, ${a.acceptedThenRefused} refused by the ledger, ${a.acceptedUnsettled} not settled)`,
    `on the ledger: lost ${a.lost.length}, doubled ${a.doubled.length}` +
      (a.lost.length > 0 ? `; lost: ${a.lost.slice(0, 10).join(', ')}` : '') +
      (a.doubled.length > 0 ? `; doubled: ${a.doubled.slice(0, 10).join(', ')}` : ''),
  ].join('\n');
}
