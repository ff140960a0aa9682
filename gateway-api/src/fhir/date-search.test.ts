import { ApiError } from '../errors/error-catalog';
import { dateSearchRange } from './date-search';

const iso = (r: { from?: number; to?: number }) => ({
  from: r.from === undefined ? undefined : new Date(r.from).toISOString(),
  to: r.to === undefined ? undefined : new Date(r.to).toISOString(),
});

describe('dateSearchRange', () => {
  it('reads each prefix at the value’s precision', () => {
    expect(iso(dateSearchRange(['2026-11-22']))).toEqual({
      from: '2026-11-22T00:00:00.000Z',
      to: '2026-11-23T00:00:00.000Z',
    });
    expect(iso(dateSearchRange(['ge2026-11']))).toEqual({ from: '2026-11-01T00:00:00.000Z', to: undefined });
    expect(iso(dateSearchRange(['gt2026-11-22']))).toEqual({
      from: '2026-11-23T00:00:00.000Z',
      to: undefined,
    });
    expect(iso(dateSearchRange(['le2026']))).toEqual({ from: undefined, to: '2027-01-01T00:00:00.000Z' });
    expect(iso(dateSearchRange(['lt2026-11-22T10:00:00+01:00']))).toEqual({
      from: undefined,
      to: '2026-11-22T09:00:00.000Z',
    });
    expect(iso(dateSearchRange(['le2026-11-22T10:00:00.250Z']))).toEqual({
      from: undefined,
      to: '2026-11-22T10:00:00.251Z',
    });
    expect(iso(dateSearchRange(['gt2026-11-22T10:00Z']))).toEqual({
      from: '2026-11-22T10:01:00.000Z',
      to: undefined,
    });
  });

  it('narrows the range with each parameter', () => {
    expect(iso(dateSearchRange(['ge2026-11-01', 'lt2026-11-10', 'ge2026-11-05']))).toEqual({
      from: '2026-11-05T00:00:00.000Z',
      to: '2026-11-10T00:00:00.000Z',
    });
  });

  it.each([
    'ne2026-11-22',
    'sa2026',
    '2026-13',
    '2026-02-30',
    '2026-11-22T10:00',
    'yesterday',
    '2026-11-22T25:00Z',
  ])('refuses %s', (value) => {
    expect(() => dateSearchRange([value])).toThrow(ApiError);
  });
});
