import { latestNews2Observations, news2Aggregate, type VitalType } from '@careledger/contract';
import type { WardReading } from './ward-model';

/** One vital's chart data, uPlot's columnar shape: x in seconds, values, and the alerts marked. */
export interface VitalSeries {
  readonly type: VitalType;
  readonly x: number[];
  /** The value (systolic for blood pressure). */
  readonly y: number[];
  /** Diastolic, for blood pressure only. */
  readonly y2?: number[];
  /** The value where the reading was abnormal or critical (NEWS2 sub-score 2 or 3), else null. */
  readonly alerts: (number | null)[];
  readonly abnormal: number;
}

const valueOf = (r: WardReading): number =>
  r.type === 'bloodPressure' ? (r.systolic ?? NaN) : (r.value ?? NaN);
const time = (r: WardReading): number => Date.parse(r.observedAt);

/** Each type's readings in observation order, as chart series (types in the order given). */
export function vitalSeries(readings: readonly WardReading[], types: readonly VitalType[]): VitalSeries[] {
  const sorted = [...readings].sort((a, b) => time(a) - time(b));
  return types.map((type) => {
    const of = sorted.filter((r) => r.type === type);
    const alerts = of.map((r) => (r.flag === 'abnormal' || r.flag === 'critical' ? valueOf(r) : null));
    return {
      type,
      x: of.map((r) => time(r) / 1000),
      y: of.map(valueOf),
      ...(type === 'bloodPressure' ? { y2: of.map((r) => r.diastolic ?? NaN) } : {}),
      alerts,
      abnormal: alerts.filter((a) => a !== null).length,
    };
  });
}

/**
 * The aggregate NEWS2 over time: at each of at most `samples` moments from `from` to `to` (and at
 * every reading when there are fewer), news2Aggregate of the latest reading of each parameter
 * then, with the same freshness rule as the ward view (stale and missing count 0, so the trend
 * is a lower bound where the set was partial).
 */
export function news2Trend(
  readings: readonly WardReading[],
  from: number,
  to: number,
  samples = 240,
): { x: number[]; total: number[]; complete: boolean[] } {
  const sorted = [...readings].sort((a, b) => time(a) - time(b));
  const moments =
    sorted.length <= samples
      ? sorted.map(time)
      : Array.from({ length: samples }, (_, i) => from + ((to - from) * (i + 1)) / samples);
  const latest = new Map<VitalType, WardReading>();
  const out = { x: [] as number[], total: [] as number[], complete: [] as boolean[] };
  let next = 0;
  for (const at of moments) {
    while (next < sorted.length && time(sorted[next] as WardReading) <= at) {
      const r = sorted[next] as WardReading;
      latest.set(r.type, r);
      next += 1;
    }
    if (latest.size === 0) continue;
    const aggregate = news2Aggregate(latestNews2Observations([...latest.values()]), { now: at });
    out.x.push(at / 1000);
    out.total.push(aggregate.total);
    out.complete.push(aggregate.complete);
  }
  return out;
}
