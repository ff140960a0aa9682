import { WardModel, type WardReading } from './ward-model';

const now = Date.parse('2026-12-09T12:00:00Z');
const ago = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
let seq = 0;

function reading(patientId: string, type: WardReading['type'], value: number, minutesAgo = 1): WardReading {
  seq += 1;
  return {
    readingId: `r-${seq}`,
    patientId,
    type,
    ...(type === 'bloodPressure' ? { systolic: value, diastolic: 70 } : { value }),
    unit: 'x',
    observedAt: ago(minutesAgo),
    recordedAt: ago(minutesAgo),
    news2Score: 0,
    flag: 'normal',
  };
}

const normal = (patientId: string) => [
  reading(patientId, 'respiratoryRate', 16),
  reading(patientId, 'spo2', 97),
  reading(patientId, 'bloodPressure', 120),
  reading(patientId, 'heartRate', 70),
  reading(patientId, 'bodyTemperature', 37),
];

describe('WardModel', () => {
  it('sorts by risk, then total, and moves a patient up when an abnormal reading arrives', () => {
    const ward = new WardModel();
    ward.setPatients([{ patientId: 'p-1' }, { patientId: 'p-2' }, { patientId: 'p-3' }]);
    ward.addReadings([...normal('p-1'), ...normal('p-2'), ...normal('p-3')]);
    ward.addReadings([reading('p-3', 'heartRate', 95)]);
    expect(ward.rows(now).map((r) => [r.patientId, r.aggregate.total])).toEqual([
      ['p-3', 1],
      ['p-1', 0],
      ['p-2', 0],
    ]);
    expect(ward.addReadings([reading('p-2', 'respiratoryRate', 26, 0.5)])).toBe(true);
    expect(ward.rows(now).map((r) => [r.patientId, r.aggregate.risk])).toEqual([
      ['p-2', 'low-medium'],
      ['p-3', 'low'],
      ['p-1', 'low'],
    ]);
  });

  it('keeps the latest reading of each type, whatever the order they arrive in', () => {
    const ward = new WardModel();
    ward.setPatients([{ patientId: 'p-1' }]);
    const newer = reading('p-1', 'heartRate', 72, 1);
    const older = reading('p-1', 'heartRate', 140, 5);
    expect(ward.addReadings([newer])).toBe(true);
    expect(ward.addReadings([older])).toBe(false);
    expect(ward.addReadings([newer])).toBe(false);
    expect(ward.rows(now)[0]?.latest.heartRate?.value).toBe(72);
  });

  it('ignores readings of patients not on the ward', () => {
    const ward = new WardModel();
    ward.setPatients([{ patientId: 'p-1' }]);
    expect(ward.addReadings([reading('p-9', 'heartRate', 140)])).toBe(false);
    expect(ward.rows(now).map((r) => r.patientId)).toEqual(['p-1']);
  });

  it('scores a reading older than the window as stale, with the given window', () => {
    const ward = new WardModel({ maxAgeMs: 5 * 60_000 });
    ward.setPatients([{ patientId: 'p-1' }]);
    ward.addReadings([reading('p-1', 'heartRate', 140, 6)]);
    expect(ward.rows(now)[0]?.aggregate).toMatchObject({ total: 0, stale: ['heartRate'] });
  });

  it('puts patients without readings, then unreadable ones, last; keeps names across lists', () => {
    const ward = new WardModel();
    ward.setPatients([{ patientId: 'a' }, { patientId: 'b' }, { patientId: 'c', name: 'Cleo' }]);
    ward.addReadings(normal('c'));
    ward.setError('a', 'ACCESS_DENIED: admin may not read vitals');
    ward.setPatients([{ patientId: 'a' }, { patientId: 'b' }, { patientId: 'c' }]);
    const rows = ward.rows(now);
    expect([ward.nameOf('c'), ward.nameOf('a')]).toEqual(['Cleo', 'a']);
    expect([ward.unreadable('a'), ward.unreadable('b')]).toEqual([true, false]);
    expect(rows.map((r) => [r.patientId, r.name, r.error])).toEqual([
      ['c', 'Cleo', undefined],
      ['b', undefined, undefined],
      ['a', undefined, 'ACCESS_DENIED: admin may not read vitals'],
    ]);
  });

  it('drops a patient no longer listed, with its readings', () => {
    const ward = new WardModel();
    ward.setPatients([{ patientId: 'p-1' }, { patientId: 'p-2' }]);
    ward.addReadings(normal('p-1'));
    ward.setPatients([{ patientId: 'p-2' }]);
    ward.setPatients([{ patientId: 'p-1' }, { patientId: 'p-2' }]);
    expect(ward.rows(now).find((r) => r.patientId === 'p-1')?.latest).toEqual({});
  });
});
