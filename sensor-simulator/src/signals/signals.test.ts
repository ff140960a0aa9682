import fc from 'fast-check';
import { createRng } from '../random/rng';
import { generateBloodPressure, initialBloodPressure, systolicModel } from './blood-pressure';
import { episodeKinds, type Episode, type EpisodeKind } from './episode';
import { generateHeartRate, heartRateModel } from './heart-rate';
import { generateRespiratoryRate, respiratoryRateModel } from './respiratory-rate';
import { initialSignal, type SignalModel, type SignalSample, type SignalState } from './signal-model';
import { generateSpo2, spo2Model } from './spo2';
import { generateTemperature, temperatureModel } from './temperature';
import type { Rng } from '../random/rng';

type Generator = (state: SignalState, t: number, rng: Rng) => SignalSample;

const signals: [string, SignalModel, Generator, number][] = [
  // name, model, generator, largest plausible change between samples 1 s apart outside episodes
  ['heart rate', heartRateModel, generateHeartRate, 6],
  ['SpO2', spo2Model, generateSpo2, 3],
  ['respiratory rate', respiratoryRateModel, generateRespiratoryRate, 4],
  ['temperature', temperatureModel, generateTemperature, 0.3],
];

function run(model: SignalModel, generate: Generator, seed: number, episodes: Episode[], seconds: number) {
  const rng = createRng(seed);
  let state = initialSignal(model, rng, episodes);
  const values: number[] = [];
  for (let t = 1; t <= seconds; t++) {
    const sample = generate(state, t, rng);
    state = sample.state;
    values.push(sample.value);
  }
  return values;
}

const episodeArb = fc.record({
  kind: fc.constantFrom(...episodeKinds),
  start: fc.integer({ min: 0, max: 200 }),
  duration: fc.integer({ min: 1, max: 120 }),
  ramp: fc.integer({ min: 0, max: 30 }),
});

describe.each(signals)('%s generator', (_name, model, generate, maxStep) => {
  it('stays within the plausible range, with or without episodes', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(episodeArb, { maxLength: 3 }), (seed, episodes) => {
        for (const v of run(model, generate, seed, episodes, 300)) {
          expect(v).toBeGreaterThanOrEqual(model.range[0]);
          expect(v).toBeLessThanOrEqual(model.range[1]);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('is time-correlated: small steps between close samples, strong lag-1 correlation', () => {
    const values = run(model, generate, 11, [], 2000);
    for (let i = 1; i < values.length; i++)
      expect(Math.abs(values[i]! - values[i - 1]!)).toBeLessThanOrEqual(maxStep);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    let num = 0;
    let den = 0;
    for (let i = 0; i < values.length; i++) {
      den += (values[i]! - mean) ** 2;
      if (i > 0) num += (values[i]! - mean) * (values[i - 1]! - mean);
    }
    expect(num / den).toBeGreaterThan(0.7);
  });

  it('repeats exactly for the same seed and differs for another', () => {
    expect(run(model, generate, 5, [], 50)).toEqual(run(model, generate, 5, [], 50));
    expect(run(model, generate, 5, [], 50)).not.toEqual(run(model, generate, 6, [], 50));
  });

  it('does not mutate the state it is given', () => {
    const rng = createRng(1);
    const state = Object.freeze(initialSignal(model, rng));
    const copy = { ...state };
    generate(state, 10, rng);
    expect(state).toEqual(copy);
  });
});

describe('abnormal episodes', () => {
  const plateau = (kind: EpisodeKind): Episode[] => [{ kind, start: 10, duration: 100, ramp: 10 }];
  const onPlateau = (values: number[]) => values.slice(20, 100); // t = 21 … 100

  it.each([
    ['tachycardia', heartRateModel, generateHeartRate, (v: number) => v >= 131],
    ['desaturation', spo2Model, generateSpo2, (v: number) => v <= 91],
    ['fever', temperatureModel, generateTemperature, (v: number) => v >= 39.1],
  ] as const)(
    '%s crosses its NEWS2 threshold on the plateau for every seed',
    (kind, model, generate, crossed) => {
      for (let seed = 0; seed < 30; seed++) {
        expect(onPlateau(run(model, generate, seed, plateau(kind), 120)).every(crossed)).toBe(true);
        // and it is an episode: before it starts the patient is not in that band
        expect(run(model, generate, seed, plateau(kind), 5).some(crossed)).toBe(false);
      }
    },
  );

  function pressures(seed: number, episodes: Episode[], seconds: number) {
    const rng = createRng(seed);
    let state = initialBloodPressure(rng, episodes);
    const out: { systolic: number; diastolic: number }[] = [];
    for (let t = 1; t <= seconds; t++) {
      const s = generateBloodPressure(state, t, rng);
      state = s.state;
      out.push({ systolic: s.systolic, diastolic: s.diastolic });
    }
    return out;
  }

  it('hypotension holds systolic ≤ 90 and a hypertensive crisis ≥ 220, diastolic always below', () => {
    for (let seed = 0; seed < 30; seed++) {
      const low = pressures(seed, plateau('hypotension'), 120);
      const high = pressures(seed, plateau('hypertensive-crisis'), 120);
      expect(low.slice(20, 100).every((p) => p.systolic <= 90)).toBe(true);
      expect(high.slice(20, 100).every((p) => p.systolic >= 220)).toBe(true);
      for (const p of [...low, ...high]) {
        expect(p.diastolic).toBeLessThan(p.systolic);
        expect(p.systolic).toBeLessThanOrEqual(systolicModel.range[1]);
        expect(p.diastolic).toBeGreaterThanOrEqual(20);
      }
    }
  });

  it('keeps diastolic below systolic for arbitrary seeds and episodes', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(episodeArb, { maxLength: 3 }), (seed, episodes) => {
        for (const p of pressures(seed, episodes, 200)) expect(p.diastolic).toBeLessThan(p.systolic);
      }),
      { numRuns: 40 },
    );
  });

  it('raises heart rate during a fever (physiological coupling)', () => {
    const base = run(heartRateModel, generateHeartRate, 9, [], 100);
    const fever = run(heartRateModel, generateHeartRate, 9, plateau('fever'), 100);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(fever.slice(30, 100)) - mean(base.slice(30, 100))).toBeGreaterThan(10);
  });
});
