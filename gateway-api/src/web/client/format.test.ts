import { formatAge, formatValue, riskLabel } from './format';

describe('formatAge', () => {
  it.each([
    [0, 'just now'],
    [4_999, 'just now'],
    [42_000, '42 s ago'],
    [7 * 60_000 + 30_000, '7 min ago'],
    [2 * 3_600_000, '2 h ago'],
    [2 * 3_600_000 + 5 * 60_000, '2 h 5 min ago'],
    [3 * 86_400_000, '3 d ago'],
    [-5000, 'just now'],
  ])('%p ms is %p', (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });
});

describe('formatValue', () => {
  it('writes each type with its unit', () => {
    expect(formatValue({ type: 'bloodPressure', systolic: 118, diastolic: 76 })).toBe('118/76 mmHg');
    expect(formatValue({ type: 'bodyTemperature', value: 38 })).toBe('38.0 °C');
    expect(formatValue({ type: 'spo2', value: 97 })).toBe('97 %');
    expect(formatValue({ type: 'heartRate', value: 72 })).toBe('72 /min');
  });
});

describe('riskLabel', () => {
  it('names every risk in words', () => {
    expect(['high', 'medium', 'low-medium', 'low'].map((r) => riskLabel(r as never))).toEqual([
      'High',
      'Medium',
      'Low–medium',
      'Low',
    ]);
  });
});
