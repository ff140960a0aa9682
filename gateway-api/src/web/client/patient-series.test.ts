import { news2Trend, vitalSeries } from './patient-series';
import type { WardReading } from './ward-model';

const t0 = Date.parse('2026-12-08T10:00:00.000Z');
let n = 0;
function reading(type: WardReading['type'], minute: number, value: number, score = 0): WardReading {
  n += 1;
  const at = new Date(t0 + minute * 60_000).toISOString();
  return {
    readingId: `r-${n}`,
    patientId: 'p-1',
    type,
    ...(type === 'bloodPressure' ? { systolic: value, diastolic: 70 } : { value }),
    unit: '/min',
    observedAt: at,
    recordedAt: at,
    news2Score: score,
    flag: score === 3 ? 'critical' : score === 2 ? 'abnormal' : score === 1 ? 'watch' : 'normal',
  };
}

describe('vitalSeries', () => {
  it('orders each type by observation and marks abnormal and critical readings only', () => {
    const [pulse, bp] = vitalSeries(
      [
        reading('heartRate', 2, 135, 3),
        reading('heartRate', 0, 70),
        reading('heartRate', 1, 95, 1),
        reading('bloodPressure', 0, 120),
      ],
      ['heartRate', 'bloodPressure'],
    );
    expect(pulse).toEqual({
      type: 'heartRate',
      x: [t0 / 1000, t0 / 1000 + 60, t0 / 1000 + 120],
      y: [70, 95, 135],
      alerts: [null, null, 135],
      abnormal: 1,
    });
    expect(bp?.y).toEqual([120]);
    expect(bp?.y2).toEqual([70]);
  });
});

describe('news2Trend', () => {
  it('scores the latest reading of each parameter at each reading: pulse 135 adds 3 to respiration 22 (2)', () => {
    const trend = news2Trend(
      [reading('respiratoryRate', 0, 22, 2), reading('heartRate', 1, 135, 3), reading('heartRate', 2, 70)],
      t0,
      t0 + 180_000,
    );
    expect(trend.x).toEqual([t0 / 1000, t0 / 1000 + 60, t0 / 1000 + 120]);
    expect(trend.total).toEqual([2, 5, 2]);
    expect(trend.complete).toEqual([false, false, false]);
  });

  it('samples a long range at most `samples` times; readings older than the freshness window stop counting', () => {
    const readings = Array.from({ length: 50 }, (_, i) => reading('heartRate', i, 135, 3));
    const trend = news2Trend(readings, t0, t0 + 100 * 60_000, 10);
    expect(trend.x).toHaveLength(10);
    // The last pulse was observed at minute 49: at minute 80 and later it is stale (more than 15 min old).
    expect(trend.total.slice(0, 4)).toEqual([3, 3, 3, 3]);
    expect(trend.total.slice(-2)).toEqual([0, 0]);
  });
});
