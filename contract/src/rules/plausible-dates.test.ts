import { demographicsSchema, readingSchema, timestampSchema } from './input-schemas';

const demographics = { name: 'Ada Example', birthDate: '1980-02-03', sex: 'female' };

describe('plausible dates', () => {
  it('takes clinical timestamps from 1970 to 2099 only', () => {
    for (const ok of ['1970-01-01T00:00:00Z', '2026-11-22T10:00:00+01:00', '2099-12-31T23:59:59Z']) {
      expect([ok, timestampSchema.safeParse(ok).success]).toEqual([ok, true]);
    }
    for (const bad of [
      '0001-01-01T00:00:00Z',
      '1969-12-31T23:59:59Z',
      '2100-01-01T00:00:00Z',
      '2999-01-01T00:00:00Z',
    ]) {
      expect([bad, timestampSchema.safeParse(bad).success]).toEqual([bad, false]);
    }
    // A reading's observation time is such a timestamp.
    const spo2 = { readingId: 's-1', patientId: 'p-9', type: 'spo2', value: 97, unit: '%' };
    const refused = readingSchema.safeParse({ ...spo2, observedAt: '0001-01-01T00:00:00Z' });
    expect(refused.error?.issues[0]).toMatchObject({
      path: ['observedAt'],
      message: 'must lie between 1970 and 2099',
    });
    expect(readingSchema.safeParse({ ...spo2, observedAt: '2026-11-22T10:00:00Z' }).success).toBe(true);
  });

  it('takes birth dates from 1900 on, and no calendar nonsense', () => {
    expect(demographicsSchema.safeParse(demographics).success).toBe(true);
    expect(demographicsSchema.safeParse({ ...demographics, birthDate: '1900-01-01' }).success).toBe(true);
    for (const bad of ['1899-12-31', '2999-01-01', '1980-02-30', '80-02-03']) {
      expect([bad, demographicsSchema.safeParse({ ...demographics, birthDate: bad }).success]).toEqual([
        bad,
        false,
      ]);
    }
  });
});
