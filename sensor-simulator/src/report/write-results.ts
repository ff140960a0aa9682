import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BenchReport } from './bench-report';
import { formatCsv } from './format-csv';
import { formatSvg } from './format-svg';
import { formatTable } from './format-table';

/** Paths of the files a benchmark wrote. */
export interface WrittenResults {
  readonly json: string;
  readonly csv: string;
  readonly svg: string;
  readonly table: string;
}

/** The common start of a run's result files: `<dir>/bench-<start time>`. */
export function resultsStem(dir: string, startedAt: string): string {
  return path.join(dir, `bench-${startedAt.replace(/[:.]/g, '-')}`);
}

/**
 * Writes `<stem>.json` (everything: settings, machine, rounds, ratios), `.csv`, `.svg` and
 * `.txt` (the terminal table) into `dir`, creating it. The stem is `bench-<start time>`.
 */
export async function writeResults(dir: string, report: BenchReport): Promise<WrittenResults> {
  await mkdir(dir, { recursive: true });
  const stem = resultsStem(dir, report.startedAt);
  const files: WrittenResults = {
    json: `${stem}.json`,
    csv: `${stem}.csv`,
    svg: `${stem}.svg`,
    table: `${stem}.txt`,
  };
  const title = `Invoke latency against users (${report.settings.rate} readings/s per user, ${report.machine.cpuCount} cores)`;
  await Promise.all([
    writeFile(files.json, `${JSON.stringify(report, null, 2)}\n`),
    writeFile(files.csv, formatCsv(report.rounds)),
    writeFile(files.svg, formatSvg(report.rounds, title)),
    writeFile(files.table, `${formatTable(report)}\n`),
  ]);
  return files;
}
