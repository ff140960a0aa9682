import { createRng } from '../random/rng';
import { LatencyHistogram } from './latency-histogram';

describe('LatencyHistogram', () => {
  it('reports exact figures for 1..1000 ms', () => {
    const h = new LatencyHistogram();
    for (let ms = 1; ms <= 1000; ms++) h.record(ms);
    const s = h.summary();
    expect(s.count).toBe(1000);
    expect(s.min).toBe(1);
    expect(s.max).toBe(1000);
    expect(s.mean).toBeCloseTo(500.5, 6);
    expect(s.p50).toBeCloseTo(500, -0.3);
    expect(Math.abs(s.p95 - 950) / 950).toBeLessThan(0.002);
    expect(Math.abs(s.p99 - 990) / 990).toBeLessThan(0.002);
  });

  it('matches the quantiles of an exponential distribution (mean 50 ms)', () => {
    const rng = createRng('exp');
    const h = new LatencyHistogram();
    for (let i = 0; i < 200_000; i++) h.record(-50 * Math.log(1 - rng.next()));
    const s = h.summary();
    // quantile q of Exp(mean m) is −m·ln(1 − q)
    expect(s.mean).toBeCloseTo(50, 0);
    expect(Math.abs(s.p50 - 50 * Math.LN2) / (50 * Math.LN2)).toBeLessThan(0.02);
    expect(Math.abs(s.p95 - -50 * Math.log(0.05)) / (-50 * Math.log(0.05))).toBeLessThan(0.02);
    expect(Math.abs(s.p99 - -50 * Math.log(0.01)) / (-50 * Math.log(0.01))).toBeLessThan(0.04);
  });

  it('keeps sub-millisecond resolution and a bimodal tail', () => {
    const h = new LatencyHistogram();
    for (let i = 0; i < 980; i++) h.record(0.25);
    for (let i = 0; i < 20; i++) h.record(2000);
    const s = h.summary();
    expect(s.p50).toBeCloseTo(0.25, 3);
    expect(s.p95).toBeCloseTo(0.25, 3);
    expect(Math.abs(s.p99 - 2000) / 2000).toBeLessThan(0.001);
    expect(s.mean).toBeCloseTo((980 * 0.25 + 20 * 2000) / 1000, 6);
  });

  it('never reports a percentile outside [min, max]', () => {
    const h = new LatencyHistogram();
    for (const ms of [42.1, 53.2, 136.7, 60]) h.record(ms);
    const s = h.summary();
    expect(s.p99).toBeLessThanOrEqual(s.max);
    expect(s.p99).toBeCloseTo(136.7, 0);
    expect(s.p50).toBeGreaterThanOrEqual(s.min);
  });

  it('merges two histograms into the distribution of both', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    for (let i = 1; i <= 50; i++) a.record(i);
    for (let i = 51; i <= 100; i++) b.record(i);
    a.merge(b);
    expect(a.summary()).toMatchObject({ count: 100, min: 1, max: 100, mean: 50.5 });
    expect(a.percentile(50)).toBeCloseTo(50, 1);
  });

  it('reports zeros when empty and refuses a non-finite latency', () => {
    const h = new LatencyHistogram();
    expect(h.summary()).toEqual({ count: 0, min: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 });
    expect(() => h.record(NaN)).toThrow(RangeError);
    expect(h.count).toBe(0);
  });
});
