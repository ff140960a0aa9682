import type { BenchRound } from './bench-report';

const stats = [
  ['min', '#2ca02c'],
  ['mean', '#1f77b4'],
  ['p99', '#ff7f0e'],
  ['max', '#d62728'],
] as const;
const dashes: Record<string, string> = { rest: '', direct: '6 4', signed: '2 3' };

const width = 820;
const height = 500;
const margin = { left: 80, right: 170, top: 50, bottom: 60 };
const plotW = width - margin.left - margin.right;
const plotH = height - margin.top - margin.bottom;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function niceTicks(max: number, count = 5): number[] {
  if (max <= 0) return [0];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Latency scale: logarithmic when values span more than two decades, linear otherwise. */
function yScale(values: number[]): { y: (v: number) => number; ticks: number[]; log: boolean } {
  const positive = values.filter((v) => v > 0);
  const lo = Math.min(...positive, 1);
  const hi = Math.max(...values, 1);
  if (hi / lo > 100) {
    const a = Math.floor(Math.log10(lo));
    const b = Math.ceil(Math.log10(hi));
    const ticks = Array.from({ length: b - a + 1 }, (_, i) => 10 ** (a + i));
    const y = (v: number) => margin.top + plotH - ((Math.log10(Math.max(v, 10 ** a)) - a) / (b - a)) * plotH;
    return { y, ticks, log: true };
  }
  const ticks = niceTicks(hi);
  const top = ticks[ticks.length - 1] ?? hi;
  return { y: (v: number) => margin.top + plotH - (v / top) * plotH, ticks, log: false };
}

/**
 * A line chart of latency (min, mean, p99, max) against users, one line style per mode, as a
 * self-contained SVG document.
 */
export function formatSvg(rounds: readonly BenchRound[], title = 'Invoke latency against users'): string {
  const users = [...new Set(rounds.map((r) => r.users))].sort((a, b) => a - b);
  const modes = [...new Set(rounds.map((r) => r.mode))];
  const maxUsers = Math.max(...users, 1);
  const xTicks = users.length <= 12 ? users : niceTicks(maxUsers, 10);
  const x = (u: number) => margin.left + (users.length === 1 ? plotW / 2 : (u / maxUsers) * plotW);
  const scale = yScale(rounds.flatMap((r) => stats.map(([s]) => r.latency[s])));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16">${escapeXml(title)}</text>`,
  ];
  for (const t of scale.ticks) {
    const y = scale.y(t).toFixed(1);
    parts.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${margin.left - 8}" y="${y}" text-anchor="end" dy="4">${t}</text>`);
  }
  for (const u of xTicks) {
    const xx = x(u).toFixed(1);
    parts.push(
      `<line x1="${xx}" x2="${xx}" y1="${margin.top + plotH}" y2="${margin.top + plotH + 5}" stroke="#333"/>`,
    );
    parts.push(`<text x="${xx}" y="${margin.top + plotH + 20}" text-anchor="middle">${u}</text>`);
  }
  parts.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`,
    `<text x="${margin.left + plotW / 2}" y="${height - 15}" text-anchor="middle">users (devices)</text>`,
    `<text transform="translate(20 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">latency (ms${scale.log ? ', log scale' : ''})</text>`,
  );
  let legendY = margin.top + 10;
  for (const mode of modes) {
    const series = rounds.filter((r) => r.mode === mode).sort((a, b) => a.users - b.users);
    for (const [stat, colour] of stats) {
      const points = series.map((r) => `${x(r.users).toFixed(1)},${scale.y(r.latency[stat]).toFixed(1)}`);
      const dash = dashes[mode] ? ` stroke-dasharray="${dashes[mode]}"` : '';
      parts.push(
        `<polyline class="series" data-mode="${escapeXml(mode)}" data-stat="${stat}" fill="none" stroke="${colour}" stroke-width="2"${dash} points="${points.join(' ')}"/>`,
      );
      for (const p of points) {
        const [px, py] = p.split(',');
        parts.push(`<circle cx="${px}" cy="${py}" r="3" fill="${colour}"/>`);
      }
      const lx = margin.left + plotW + 15;
      parts.push(
        `<line x1="${lx}" x2="${lx + 25}" y1="${legendY}" y2="${legendY}" stroke="${colour}" stroke-width="2"${dash}/>`,
        `<text x="${lx + 32}" y="${legendY + 4}">${escapeXml(`${mode} ${stat}`)}</text>`,
      );
      legendY += 18;
    }
  }
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
