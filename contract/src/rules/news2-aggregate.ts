import { news2Score, type Direction } from './news2';
import type { VitalType } from './vital-definitions';

/**
 * The aggregate NEWS2 score of a patient (Royal College of Physicians, 2017, charts 1 and 2)
 * over a live stream of readings, where each parameter arrives on its own.
 *
 * NEWS2 is defined over a complete set of observations taken together. Here the set is the
 * latest reading of each parameter, counted only while it is fresh: observed at most `maxAgeMs`
 * before `now` (default 15 minutes, continuous monitoring; ward observations may use hours).
 * - A parameter whose latest reading is older is *stale*: shown with its value and what it
 *   scored then, but not counted.
 * - A parameter with no reading at all (in what the caller looked at) is *missing*.
 * - Consciousness (ACVPU) and supplemental oxygen are not sensor readings: until they are
 *   recorded they score as Alert and air (0) and are listed as *assumed*.
 * With anything stale or missing the total is partial: a lower bound of the full score (a
 * missing parameter can only add), so its risk is "at least" that band, never a complete NEWS2.
 *
 * Clinical risk: high at 7 or more, medium at 5–6, low–medium at 0–4 when a single counted
 * parameter scores 3 (a "red score"), low otherwise. Pure: the same inputs give the same answer.
 */

/** The sensor parameters of NEWS2, by the vital type that measures them (blood pressure: its systolic value). */
export const news2SensorParameters = [
  'respiratoryRate',
  'spo2',
  'bloodPressure',
  'heartRate',
  'bodyTemperature',
] as const satisfies readonly VitalType[];
export type News2SensorParameter = (typeof news2SensorParameters)[number];

/** Every parameter of the NEWS2 chart, in the chart's order. */
export const news2Parameters = [
  'respiratoryRate',
  'spo2',
  'supplementalOxygen',
  'bloodPressure',
  'heartRate',
  'consciousness',
  'bodyTemperature',
] as const;
export type News2Parameter = (typeof news2Parameters)[number];

/** ACVPU: Alert, new Confusion, responds to Voice, to Pain, Unresponsive. */
export type Acvpu = 'alert' | 'confusion' | 'voice' | 'pain' | 'unresponsive';

export interface TimedValue<T> {
  readonly value: T;
  /** When it was observed (ISO 8601). */
  readonly observedAt: string;
}

/** The latest observation of each parameter, as far as known. */
export interface News2Observations {
  /** Sensor parameters; blood pressure's value is the systolic pressure. */
  readonly latest: Readonly<Partial<Record<News2SensorParameter, TimedValue<number>>>>;
  readonly consciousness?: TimedValue<Acvpu>;
  /** True when the patient breathes supplemental oxygen. */
  readonly supplementalOxygen?: TimedValue<boolean>;
}

export type News2Risk = 'low' | 'low-medium' | 'medium' | 'high';
export type News2ParameterStatus = 'fresh' | 'stale' | 'missing' | 'assumed';

export interface News2ParameterScore {
  readonly parameter: News2Parameter;
  readonly status: News2ParameterStatus;
  /** Whether `score` is part of the total (fresh or assumed). */
  readonly counted: boolean;
  /** The sub-score (for a stale parameter: what it scored when observed); none when missing. */
  readonly score?: 0 | 1 | 2 | 3;
  readonly direction?: Direction;
  readonly value?: number | boolean | Acvpu;
  readonly observedAt?: string;
  /** `now` − `observedAt`, never below 0 (a device clock slightly ahead is not "in the future"). */
  readonly ageMs?: number;
}

export interface News2Aggregate {
  /** Sum of the counted sub-scores. */
  readonly total: number;
  readonly risk: News2Risk;
  /** The clinical response the RCP ties to the risk (chart 2). */
  readonly response: string;
  /** Every parameter fresh or assumed: the total is a full NEWS2, not a lower bound. */
  readonly complete: boolean;
  /** A counted parameter scored 3. */
  readonly redScore: boolean;
  readonly missing: readonly News2Parameter[];
  readonly stale: readonly News2Parameter[];
  readonly assumed: readonly News2Parameter[];
  /** One entry per parameter, in the chart's order. */
  readonly parameters: readonly News2ParameterScore[];
  /** What the total means, in a sentence: complete or partial, and why. */
  readonly summary: string;
  readonly maxAgeMs: number;
  readonly computedAt: string;
}

export interface News2AggregateOptions {
  readonly now: Date | number;
  /** How old a reading may be and still count, in ms (default `news2DefaultMaxAgeMs`). */
  readonly maxAgeMs?: number;
}

/** 15 minutes: the freshness window of continuous bedside monitoring. */
export const news2DefaultMaxAgeMs = 15 * 60_000;

const responses: Readonly<Record<News2Risk, string>> = {
  low: 'ward-based response',
  'low-medium': 'urgent ward-based response',
  medium: 'key threshold for urgent response',
  high: 'urgent or emergency response',
};

const labels: Readonly<Record<News2Parameter, string>> = {
  respiratoryRate: 'respiration rate',
  spo2: 'SpO2',
  supplementalOxygen: 'air or oxygen',
  bloodPressure: 'systolic blood pressure',
  heartRate: 'pulse',
  consciousness: 'consciousness',
  bodyTemperature: 'temperature',
};

const normal = { score: 0, direction: 'none' } as const;
const red = { score: 3, direction: 'none' } as const;
const oxygen = { score: 2, direction: 'none' } as const;

/** The clinical risk of a total, given whether a counted parameter scored 3. */
export function news2Risk(total: number, redScore: boolean): News2Risk {
  if (total >= 7) return 'high';
  if (total >= 5) return 'medium';
  return redScore ? 'low-medium' : 'low';
}

function timed(
  parameter: News2Parameter,
  observation: TimedValue<number | boolean | Acvpu>,
  scored: { score: 0 | 1 | 2 | 3; direction: Direction },
  nowMs: number,
  maxAgeMs: number,
): News2ParameterScore {
  const observedMs = Date.parse(observation.observedAt);
  const ageMs = Number.isNaN(observedMs) ? undefined : Math.max(0, nowMs - observedMs);
  const fresh = ageMs !== undefined && ageMs <= maxAgeMs;
  return {
    parameter,
    status: fresh ? 'fresh' : 'stale',
    counted: fresh,
    ...scored,
    value: observation.value,
    observedAt: observation.observedAt,
    ...(ageMs === undefined ? {} : { ageMs }),
  };
}

function scoreOf(
  parameter: News2Parameter,
  observations: News2Observations,
  nowMs: number,
  maxAgeMs: number,
): News2ParameterScore {
  if (parameter === 'consciousness') {
    const c = observations.consciousness;
    if (c === undefined) return assumed(parameter, 'alert');
    const scored = c.value === 'alert' ? normal : red;
    return timed(parameter, c, scored, nowMs, maxAgeMs);
  }
  if (parameter === 'supplementalOxygen') {
    const o = observations.supplementalOxygen;
    if (o === undefined) return assumed(parameter, false);
    const scored = o.value ? oxygen : normal;
    return timed(parameter, o, scored, nowMs, maxAgeMs);
  }
  const reading = observations.latest[parameter];
  if (reading === undefined) return { parameter, status: 'missing', counted: false };
  return timed(parameter, reading, news2Score(parameter, reading.value), nowMs, maxAgeMs);
}

function assumed(parameter: News2Parameter, value: boolean | Acvpu): News2ParameterScore {
  return { parameter, status: 'assumed', counted: true, ...normal, value };
}

function minutes(ms: number): string {
  const m = Math.round(ms / 60_000);
  return m < 1 ? 'under a minute' : `${m} min`;
}

function summaryOf(total: number, parameters: readonly News2ParameterScore[], maxAgeMs: number): string {
  const named = (status: News2ParameterStatus) =>
    parameters.filter((p) => p.status === status).map((p) => labels[p.parameter]);
  const missing = named('missing');
  const stale = parameters
    .filter((p) => p.status === 'stale')
    .map((p) =>
      p.ageMs === undefined
        ? labels[p.parameter]
        : `${labels[p.parameter]} (observed ${minutes(p.ageMs)} ago)`,
    );
  const assumedOnes = named('assumed');
  const parts: string[] = [];
  if (missing.length > 0 || stale.length > 0) {
    parts.push(`Partial NEWS2 ${total}: the full score is at least this.`);
    if (missing.length > 0) parts.push(`No reading of ${missing.join(', ')}.`);
    if (stale.length > 0) {
      parts.push(`Older than ${minutes(maxAgeMs)}, not counted: ${stale.join(', ')}.`);
    }
  } else {
    parts.push(`NEWS2 ${total} from readings of the last ${minutes(maxAgeMs)}.`);
  }
  if (assumedOnes.length > 0) {
    parts.push(`Assumed until recorded: ${assumedOnes.join(' and ')} (alert, on air: 0).`);
  }
  return parts.join(' ');
}

/**
 * The aggregate NEWS2 of the latest observations at `now` (the rules are in this module's
 * header). Never throws; an observation time that does not parse counts as stale (stored
 * readings have validated ISO 8601 times).
 */
export function news2Aggregate(
  observations: News2Observations,
  options: News2AggregateOptions,
): News2Aggregate {
  const nowMs = typeof options.now === 'number' ? options.now : options.now.getTime();
  const maxAgeMs = options.maxAgeMs ?? news2DefaultMaxAgeMs;
  const parameters = news2Parameters.map((p) => scoreOf(p, observations, nowMs, maxAgeMs));
  const counted = parameters.filter((p) => p.counted);
  const total = counted.reduce((sum, p) => sum + (p.score ?? 0), 0);
  const redScore = counted.some((p) => p.score === 3);
  const risk = news2Risk(total, redScore);
  const having = (status: News2ParameterStatus) =>
    parameters.filter((p) => p.status === status).map((p) => p.parameter);
  const missing = having('missing');
  const stale = having('stale');
  return {
    total,
    risk,
    response: responses[risk],
    complete: missing.length === 0 && stale.length === 0,
    redScore,
    missing,
    stale,
    assumed: having('assumed'),
    parameters,
    summary: summaryOf(total, parameters, maxAgeMs),
    maxAgeMs,
    computedAt: new Date(nowMs).toISOString(),
  };
}

/** A stored reading, as far as NEWS2 needs it. */
export interface News2Reading {
  readonly type: VitalType;
  readonly value?: number;
  readonly systolic?: number;
  readonly observedAt: string;
}

/**
 * The latest reading of each sensor parameter among `readings` (any order): the one observed
 * last; blood pressure by its systolic value. Types NEWS2 does not score (glucose) are left out.
 */
export function latestNews2Observations(readings: Iterable<News2Reading>): News2Observations {
  const latest: Partial<Record<News2SensorParameter, TimedValue<number>>> = {};
  for (const r of readings) {
    if (!(news2SensorParameters as readonly VitalType[]).includes(r.type)) continue;
    const parameter = r.type as News2SensorParameter;
    const value = parameter === 'bloodPressure' ? r.systolic : r.value;
    if (value === undefined) continue;
    const known = latest[parameter];
    if (known === undefined || Date.parse(r.observedAt) >= Date.parse(known.observedAt)) {
      latest[parameter] = { value, observedAt: r.observedAt };
    }
  }
  return { latest };
}
