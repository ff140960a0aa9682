import fc from 'fast-check';
import { ChaincodeError } from '../error-code';
import { readingSchema } from './input-schemas';
import { parseJsonArgument } from './parse-input';
import { classifyReading } from './vital-validation';

const txTime = new Date('2026-11-22T10:00:00.000Z');
const base = { readingId: 'r-1', patientId: 'p-1', observedAt: '2026-11-22T09:59:00.000Z' };

function expectInvalid(fn: () => unknown, fragment: string): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ChaincodeError);
    expect((err as ChaincodeError).code).toBe('INVALID_ARGUMENT');
    expect((err as Error).message).toContain(fragment);
    return;
  }
  throw new Error('expected an INVALID_ARGUMENT error');
}

describe('classifyReading', () => {
  it('classifies a tachycardic heart rate as critical and high, with its LOINC code', () => {
    const r = classifyReading({ ...base, type: 'heartRate', value: 140, unit: '/min' }, txTime);
    expect(r).toMatchObject({ loinc: '8867-4', flag: 'critical', news2: { score: 3, direction: 'high' } });
  });

  it('scores blood pressure on the systolic value and keeps the panel code', () => {
    const r = classifyReading(
      { ...base, type: 'bloodPressure', systolic: 95, diastolic: 60, unit: 'mm[Hg]' },
      txTime,
    );
    expect(r).toMatchObject({ loinc: '85354-9', flag: 'abnormal', news2: { score: 2, direction: 'low' } });
  });

  it('normalises observedAt to UTC with milliseconds so keys sort by time', () => {
    const r = classifyReading(
      { ...base, observedAt: '2026-11-22T10:59:00+02:00', type: 'spo2', value: 97, unit: '%' },
      txTime,
    );
    expect(r.observedAt).toBe('2026-11-22T08:59:00.000Z');
  });

  it('refuses the wrong UCUM unit', () => {
    expectInvalid(
      () => classifyReading({ ...base, type: 'bodyTemperature', value: 37, unit: '[degF]' }, txTime),
      "'Cel'",
    );
  });

  it('refuses implausible values as sensor errors', () => {
    expectInvalid(
      () => classifyReading({ ...base, type: 'spo2', value: 40, unit: '%' }, txTime),
      'plausible range',
    );
    expectInvalid(
      () => classifyReading({ ...base, type: 'heartRate', value: 301, unit: '/min' }, txTime),
      'reading.value',
    );
  });

  it('refuses a diastolic pressure not below the systolic', () => {
    expectInvalid(
      () =>
        classifyReading(
          { ...base, type: 'bloodPressure', systolic: 120, diastolic: 120, unit: 'mm[Hg]' },
          txTime,
        ),
      'reading.diastolic',
    );
  });

  it('refuses a reading from more than five minutes in the future', () => {
    expectInvalid(
      () =>
        classifyReading(
          { ...base, observedAt: '2026-11-22T10:06:00.000Z', type: 'heartRate', value: 70, unit: '/min' },
          txTime,
        ),
      'in the future',
    );
  });
});

describe('reading validation (property)', () => {
  const validScalar = fc.record({
    readingId: fc.constant('r-1'),
    patientId: fc.constant('p-1'),
    observedAt: fc.constant(base.observedAt),
    type: fc.constant('heartRate'),
    value: fc.double({ min: 20, max: 300, noNaN: true }),
    unit: fc.constant('/min'),
  });

  it('accepts every plausible heart rate and gives a score of 0..3', () => {
    fc.assert(
      fc.property(validScalar, (reading) => {
        const r = classifyReading(
          parseJsonArgument(readingSchema, JSON.stringify(reading), 'reading'),
          txTime,
        );
        expect([0, 1, 2, 3]).toContain(r.news2.score);
      }),
    );
  });

  it('rejects any corruption of a reading with INVALID_ARGUMENT naming the argument', () => {
    const corruption = fc.oneof(
      fc.record({
        key: fc.constantFrom('readingId', 'patientId'),
        value: fc.oneof(
          fc.constant(''),
          fc.constant('a\u0000b'),
          fc.constant('x~y'),
          fc.integer(),
          fc.constant('a'.repeat(200)),
        ),
      }),
      fc.record({
        key: fc.constant('value'),
        value: fc.oneof(
          fc.double({ max: 19.99, noNaN: true }),
          fc.double({ min: 300.01, noNaN: true }),
          fc.string(),
          fc.constant(null),
        ),
      }),
      fc.record({
        key: fc.constant('type'),
        value: fc
          .string()
          .filter(
            (s) =>
              ![
                'heartRate',
                'respiratoryRate',
                'spo2',
                'bodyTemperature',
                'bloodPressure',
                'bloodGlucose',
              ].includes(s),
          ),
      }),
      fc.record({ key: fc.constant('unit'), value: fc.string().filter((s) => s !== '/min') }),
      fc.record({
        key: fc.constant('observedAt'),
        value: fc.oneof(fc.string(), fc.integer(), fc.constant('2026-13-01T00:00:00Z')),
      }),
      fc.record({
        key: fc
          .string()
          .filter(
            (k) =>
              ![
                'readingId',
                'patientId',
                'deviceId',
                'observedAt',
                'type',
                'value',
                'unit',
                '__proto__',
              ].includes(k),
          ),
        value: fc.jsonValue(),
      }),
    );
    fc.assert(
      fc.property(validScalar, corruption, (reading, { key, value }) => {
        const bad = { ...reading, [key]: value };
        expectInvalid(
          () => classifyReading(parseJsonArgument(readingSchema, JSON.stringify(bad), 'reading'), txTime),
          'INVALID_ARGUMENT: reading',
        );
      }),
    );
  });

  it('rejects text that is not JSON', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => {
          try {
            JSON.parse(s);
            return false;
          } catch {
            return true;
          }
        }),
        (text) => {
          expectInvalid(() => parseJsonArgument(readingSchema, text, 'reading'), 'reading: not valid JSON');
        },
      ),
    );
  });
});
