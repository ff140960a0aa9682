import { createRng } from './rng';

describe('createRng', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  });

  it('draws uniforms in [0, 1) with mean 1/2 and normals with mean 0 and sd 1', () => {
    const rng = createRng('moments');
    const n = 50_000;
    let sumU = 0;
    let sumN = 0;
    let sumN2 = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      sumU += u;
      const z = rng.normal();
      sumN += z;
      sumN2 += z * z;
    }
    expect(sumU / n).toBeCloseTo(0.5, 2);
    expect(sumN / n).toBeCloseTo(0, 1);
    expect(Math.sqrt(sumN2 / n)).toBeCloseTo(1, 1);
  });

  it('draws integers within the inclusive bounds, hitting both ends', () => {
    const rng = createRng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(rng.int(3, 6));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it('forks deterministically into independent streams', () => {
    const x = createRng(1).fork('a');
    const y = createRng(1).fork('a');
    const z = createRng(1).fork('b');
    const first = x.next();
    expect(y.next()).toBe(first);
    expect(z.next()).not.toBe(first);
  });
});
