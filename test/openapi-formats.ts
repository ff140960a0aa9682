import fc from 'fast-check';

/** A string format of JSON Schema: how to check a value and how to generate one. */
export interface StringFormat {
  readonly check: (value: string) => boolean;
  /** Valid values; date-times mostly within a month of `now`, where a service accepts them. */
  readonly arbitrary: (now: number) => fc.Arbitrary<string>;
  /** A value of the right type that is not of this format. */
  readonly broken: string;
}

const dayMs = 86_400_000;

function validDate(year: number, month: number, day: number): boolean {
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= days;
}

const dateTimeShape = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|[+-](\d{2}):(\d{2}))$/i;

function isDateTime(value: string): boolean {
  const m = dateTimeShape.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second, offsetHour, offsetMinute] = m
    .slice(1)
    .map((part) => Number(part ?? 0)) as [number, number, number, number, number, number, number, number];
  return (
    validDate(year, month, day) &&
    hour < 24 &&
    minute < 60 &&
    second <= 60 &&
    offsetHour < 24 &&
    offsetMinute < 60
  );
}

function isDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m !== null && validDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function moments(now: number): fc.Arbitrary<Date> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: now - 30 * dayMs, max: now }).map((t) => new Date(t)) },
    {
      weight: 1,
      arbitrary: fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }),
    },
  );
}

/** The formats the document uses; ajv is given the same checks. */
export const stringFormats: Readonly<Record<string, StringFormat>> = {
  'date-time': {
    check: isDateTime,
    arbitrary: (now) => moments(now).map((d) => d.toISOString()),
    broken: '2024-13-45T25:61:00Z',
  },
  date: {
    check: isDate,
    arbitrary: (now) => moments(now).map((d) => d.toISOString().slice(0, 10)),
    broken: '2024-02-30',
  },
  uuid: {
    check: (value) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value),
    arbitrary: () => fc.uuid(),
    broken: '00000000-0000-0000-0000-00000000000g',
  },
  email: {
    check: (value) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value),
    arbitrary: () => fc.stringMatching(/^[a-z0-9]{1,12}@[a-z0-9]{1,12}\.[a-z]{2,6}$/),
    broken: 'no-at-sign.example',
  },
};
