import { VirtualDevice } from './virtual-device';
import { vitalCycle, vitalTypes } from './vital-type';

const options = {
  deviceId: 'dev-1',
  patientId: 'pat-1',
  seed: 4,
  runId: 'run',
  epochMs: Date.UTC(2026, 0, 1),
};

describe('VirtualDevice', () => {
  it('cycles through every vital type with its LOINC code and UCUM unit', () => {
    const device = new VirtualDevice(options);
    const readings = vitalCycle.map((_, i) => device.next(i));
    expect(readings.map((r) => r.type)).toEqual(vitalCycle);
    for (const r of readings) {
      expect(r.unit).toBe(vitalTypes[r.type].unit);
      expect(r).not.toHaveProperty('loinc');
      if (r.type === 'bloodPressure') expect(r.diastolic).toBeLessThan(r.systolic!);
      else expect(typeof r.value).toBe('number');
    }
  });

  it('gives each reading a unique id and the observed time of its t', () => {
    const device = new VirtualDevice(options);
    const readings = Array.from({ length: 100 }, (_, i) => device.next(i * 0.5));
    expect(new Set(readings.map((r) => r.readingId)).size).toBe(100);
    expect(readings[3]!.observedAt).toBe('2026-01-01T00:00:01.500Z');
    expect(readings[0]!).toMatchObject({ deviceId: 'dev-1', patientId: 'pat-1' });
  });

  it('repeats its readings for the same seed and run id', () => {
    const a = new VirtualDevice(options);
    const b = new VirtualDevice(options);
    for (let i = 0; i < 20; i++) expect(b.next(i)).toEqual(a.next(i));
  });

  it('uses distinct reading ids across runs of the same seed', () => {
    const a = new VirtualDevice({ ...options, runId: undefined });
    const b = new VirtualDevice({ ...options, runId: undefined });
    expect(a.next(0).readingId).not.toBe(b.next(0).readingId);
  });

  it('plans episodes by share and honours explicit ones', () => {
    expect(new VirtualDevice({ ...options, abnormalShare: 0 }).episodes).toEqual([]);
    const device = new VirtualDevice({
      ...options,
      episodes: [{ kind: 'tachycardia', start: 0, duration: 100, ramp: 0 }],
    });
    const hr = Array.from({ length: 50 }, (_, i) => device.next(i + 1)).filter((r) => r.type === 'heartRate');
    expect(hr.every((r) => r.value! >= 131)).toBe(true);
  });
});
