import { flagOf, news2Score, raisesAlert } from './news2';

describe('news2Score', () => {
  // Band edges from the RCP NEWS2 chart: [value, score, direction].
  const cases: Record<string, [number, number, string][]> = {
    heartRate: [
      [40, 3, 'low'],
      [41, 1, 'low'],
      [50, 1, 'low'],
      [51, 0, 'none'],
      [90, 0, 'none'],
      [91, 1, 'high'],
      [110, 1, 'high'],
      [111, 2, 'high'],
      [130, 2, 'high'],
      [131, 3, 'high'],
    ],
    respiratoryRate: [
      [8, 3, 'low'],
      [9, 1, 'low'],
      [11, 1, 'low'],
      [12, 0, 'none'],
      [20, 0, 'none'],
      [21, 2, 'high'],
      [24, 2, 'high'],
      [25, 3, 'high'],
    ],
    spo2: [
      [91, 3, 'low'],
      [92, 2, 'low'],
      [93, 2, 'low'],
      [94, 1, 'low'],
      [95, 1, 'low'],
      [96, 0, 'none'],
      [100, 0, 'none'],
    ],
    bodyTemperature: [
      [35.0, 3, 'low'],
      [35.1, 1, 'low'],
      [36.0, 1, 'low'],
      [36.1, 0, 'none'],
      [38.0, 0, 'none'],
      [38.1, 1, 'high'],
      [39.0, 1, 'high'],
      [39.1, 2, 'high'],
    ],
    bloodPressure: [
      [90, 3, 'low'],
      [91, 2, 'low'],
      [100, 2, 'low'],
      [101, 1, 'low'],
      [110, 1, 'low'],
      [111, 0, 'none'],
      [219, 0, 'none'],
      [220, 3, 'high'],
    ],
  };
  for (const [type, rows] of Object.entries(cases)) {
    it.each(rows)(`${type} %p scores %p (%p)`, (value, score, direction) => {
      expect(news2Score(type as never, value)).toEqual({ score, direction });
    });
  }

  it('does not score blood glucose (not a NEWS2 parameter)', () => {
    expect(news2Score('bloodGlucose', 40)).toEqual({ score: 0, direction: 'none' });
  });
});

describe('flagOf', () => {
  it('maps 0..3 to normal, watch, abnormal, critical and alerts on 2 and 3 only', () => {
    const flags = ([0, 1, 2, 3] as const).map((score) => flagOf({ score, direction: 'high' }));
    expect(flags).toEqual(['normal', 'watch', 'abnormal', 'critical']);
    expect(flags.map(raisesAlert)).toEqual([false, false, true, true]);
  });
});
