import { invalidFhir } from './observation-reading';

/** A time range [from, to) in milliseconds; either end may be open. */
export interface TimeRange {
  readonly from?: number;
  readonly to?: number;
}

const datePattern =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;

/** The instants a FHIR date or dateTime covers at its precision, [start, end) in ms. */
function coveredRange(value: string, expression: string): { start: number; end: number } {
  const m = datePattern.exec(value);
  if (!m) {
    throw invalidFhir(
      expression,
      `'${value}' is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD, or a dateTime with seconds optional and a time zone)`,
    );
  }
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  if (mo === undefined) return { start: Date.UTC(year, 0, 1), end: Date.UTC(year + 1, 0, 1) };
  const month = Number(mo) - 1;
  if (month < 0 || month > 11) throw invalidFhir(expression, `'${value}' has no month ${mo}`);
  if (d === undefined) return { start: Date.UTC(year, month, 1), end: Date.UTC(year, month + 1, 1) };
  const day = Number(d);
  const start = Date.UTC(year, month, day);
  const date = new Date(start);
  if (date.getUTCMonth() !== month || date.getUTCDate() !== day)
    throw invalidFhir(expression, `'${value}' is not a calendar date`);
  if (h === undefined) return { start, end: Date.UTC(year, month, day + 1) };
  const at = Date.parse(value);
  if (Number.isNaN(at) || Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59 || zone === undefined)
    throw invalidFhir(expression, `'${value}' is not a dateTime`);
  const step =
    s === undefined ? 60_000 : frac === undefined ? 1000 : Math.max(1, 10 ** (3 - (frac.length - 1)));
  return { start: at, end: at + step };
}

/**
 * The readings' time range that `date` search parameters select, all of them together (each
 * narrows it): `eq` (no prefix) within the value's precision, `ge`, `gt` (after the whole
 * precision: `gt2026-11-22` starts on the 23rd), `le` (up to the end of it) and `lt`. A date
 * without a time is a UTC day. Other prefixes (ne, sa, eb, ap) are refused.
 * @throws ApiError INVALID_ARGUMENT naming the parameter.
 */
export function dateSearchRange(values: readonly string[]): TimeRange {
  let from: number | undefined;
  let to: number | undefined;
  const after = (t: number) => (from = from === undefined ? t : Math.max(from, t));
  const before = (t: number) => (to = to === undefined ? t : Math.min(to, t));
  for (const value of values) {
    const prefix = /^[a-z]{2}/.test(value) ? value.slice(0, 2) : 'eq';
    const range = coveredRange(/^[a-z]{2}/.test(value) ? value.slice(2) : value, 'date');
    switch (prefix) {
      case 'eq':
        after(range.start);
        before(range.end);
        break;
      case 'ge':
        after(range.start);
        break;
      case 'gt':
        after(range.end);
        break;
      case 'le':
        before(range.end);
        break;
      case 'lt':
        before(range.start);
        break;
      default:
        throw invalidFhir('date', `the prefix '${prefix}' is not supported (eq, ge, gt, le, lt)`);
    }
  }
  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}
