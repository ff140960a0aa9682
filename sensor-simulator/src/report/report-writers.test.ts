import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sampleReport, sampleRound } from '../testing/sample-report';
import { compareModes } from './bench-report';
import { formatCsv } from './format-csv';
import { formatSvg } from './format-svg';
import { formatTable } from './format-table';
import { writeResults } from './write-results';

describe('compareModes', () => {
  it('divides REST latency by direct latency at the same user count', () => {
    const c = compareModes([
      sampleRound('rest', 5, 1.05),
      sampleRound('direct', 5, 1),
      sampleRound('rest', 9),
    ]);
    expect(c).toHaveLength(1);
    expect(c[0]!.users).toBe(5);
    expect(c[0]!.meanRatio).toBeCloseTo(1.05, 6);
    expect(c[0]!.p99Ratio).toBeCloseTo(1.05, 6);
  });
});

describe('formatTable', () => {
  it('draws a Caliper-style box with one aligned row per round and the ratio table', () => {
    const text = formatTable(sampleReport());
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^\+-+(\+-+)+\+$/);
    expect(lines[1]).toContain('| Name ');
    expect(lines[1]).toContain('Send Rate (readings/s)');
    expect(lines[1]).toContain('Throughput (readings/s)');
    expect(lines[1]).toMatch(/\| Tx +\| Tx\/s +\|/);
    const row = lines.find((l) => l.startsWith('| rest-100 '))!;
    expect(row.split('|').map((c) => c.trim())).toEqual([
      '',
      'rest-100',
      '100',
      '999',
      '1',
      '100.0',
      '2.4',
      '12.0',
      '9.6',
      '24.0',
      '48.0',
      '96.0',
      '99.0',
      '200',
      '20.0',
      'TIMEOUT=1',
      '',
    ]);
    const widths = new Set(lines.slice(0, 7).map((l) => l.length));
    expect(widths.size).toBe(1);
    expect(text).toContain('REST gateway cost');
    expect(text).toMatch(/\| 100 +\| 1\.200 +\| 1\.200 +\| 1\.200 +\| 20\.0 % +\|/);
  });

  it('shows distinct transactions beside readings, blank when the server reported none', () => {
    const batched = sampleRound('signed', 100, 1, { throughput: 99, transactions: 150, transactionRate: 15 });
    const untracked = sampleRound('rest', 100, 1, { transactions: 0, transactionRate: 0 });
    const lines = formatTable({ rounds: [batched, untracked], comparison: [] }).split('\n');
    const header = lines[1]!.split('|').map((c) => c.trim());
    const cells = (name: string) => {
      const row = lines
        .find((l) => l.startsWith(`| ${name} `))!
        .split('|')
        .map((c) => c.trim());
      return [
        row[header.indexOf('Throughput (readings/s)')],
        row[header.indexOf('Tx')],
        row[header.indexOf('Tx/s')],
      ];
    };
    expect(cells('signed-100')).toEqual(['99.0', '150', '15.0']);
    expect(cells('rest-100')).toEqual(['99.0', '', '']);
  });

  it('marks interrupted rounds', () => {
    const text = formatTable({ rounds: [sampleRound('rest', 1, 1, { interrupted: true })], comparison: [] });
    expect(text).toContain('rest-1*');
    expect(text).toContain('interrupted');
    expect(text).not.toContain('REST gateway cost');
  });
});

describe('formatCsv', () => {
  it('writes a header and one row per round, quoting where needed', () => {
    const csv = formatCsv([
      sampleRound('rest', 2, 1, { failures: { A: 1, B: 2 } }),
      sampleRound('direct', 2),
    ]);
    const [header, first, second, end] = csv.split('\n');
    expect(header!.split(',')).toContain('latency_p99_ms');
    const cols = header!.split(',');
    const row = first!.split(',');
    expect(row[cols.indexOf('mode')]).toBe('rest');
    expect(row[cols.indexOf('failures')]).toBe('A=1;B=2');
    expect(row[cols.indexOf('latency_p99_ms')]).toBe('40.000');
    expect(row[cols.indexOf('throughput_tps')]).toBe('1.980');
    expect(row[cols.indexOf('transactions')]).toBe('4');
    expect(row[cols.indexOf('transactions_per_s')]).toBe('0.400');
    const none = formatCsv([sampleRound('rest', 2, 1, { transactions: 0, transactionRate: 0 })]).split(
      '\n',
    )[1]!;
    expect(none.split(',')[cols.indexOf('transactions')]).toBe('');
    expect(none.split(',')[cols.indexOf('transactions_per_s')]).toBe('');
    expect(second!.startsWith('direct,2,')).toBe(true);
    expect(end).toBe('');
    expect(formatCsv([sampleRound('a,"b"', 1)])).toContain('"a,""b"""');
  });
});

describe('formatSvg', () => {
  it('draws a polyline per mode and statistic, with one point per user count', () => {
    const svg = formatSvg(sampleReport().rounds, 'T <1>');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    const lines = [
      ...svg.matchAll(/<polyline class="series" data-mode="(\w+)" data-stat="(\w+)"[^>]* points="([^"]*)"/g),
    ];
    expect(lines.map((m) => `${m[1]}:${m[2]}`)).toEqual([
      'rest:min',
      'rest:mean',
      'rest:p99',
      'rest:max',
      'direct:min',
      'direct:mean',
      'direct:p99',
      'direct:max',
    ]);
    for (const m of lines) expect(m[3]!.split(' ')).toHaveLength(2);
    expect(svg).toContain('T &#60;1&#62;');
    expect(svg).toContain('stroke-dasharray');
  });

  it('puts a higher latency higher on the chart', () => {
    const svg = formatSvg([sampleRound('rest', 1), sampleRound('rest', 2, 3)]);
    const max = /data-stat="max"[^>]* points="[\d.]+,([\d.]+) [\d.]+,([\d.]+)"/.exec(svg)!;
    expect(Number(max[2])).toBeLessThan(Number(max[1]));
  });
});

describe('writeResults', () => {
  it('writes JSON, CSV, SVG and the table into the directory', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-'));
    try {
      const report = sampleReport();
      const files = await writeResults(path.join(dir, 'nested'), report);
      expect(JSON.parse(await readFile(files.json, 'utf8'))).toEqual(report);
      expect(await readFile(files.csv, 'utf8')).toBe(formatCsv(report.rounds));
      expect(await readFile(files.svg, 'utf8')).toContain('<svg');
      expect(await readFile(files.table, 'utf8')).toContain('rest-100');
      expect(path.basename(files.json)).toBe('bench-2026-11-22T10-00-00-000Z.json');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
