import { createRng } from '../random/rng';
import { episodeWeight, planEpisodes, type Episode } from './episode';

describe('episodeWeight', () => {
  const episode: Episode = { kind: 'fever', start: 10, duration: 20, ramp: 5 };

  it('is 0 outside, ramps linearly, and is 1 on the plateau', () => {
    expect(episodeWeight(episode, 5)).toBe(0);
    expect(episodeWeight(episode, 12.5)).toBeCloseTo(0.5);
    expect(episodeWeight(episode, 20)).toBe(1);
    expect(episodeWeight(episode, 27.5)).toBeCloseTo(0.5);
    expect(episodeWeight(episode, 31)).toBe(0);
  });
});

describe('planEpisodes', () => {
  it('plans non-overlapping episodes covering about the requested share of time', () => {
    const episodes = planEpisodes(createRng(3), { horizon: 200_000, share: 0.2, duration: 20 });
    for (let i = 1; i < episodes.length; i++) {
      const previous = episodes[i - 1]!;
      expect(episodes[i]!.start).toBeGreaterThanOrEqual(previous.start + previous.duration);
    }
    const covered = episodes.length * 20;
    expect(covered / 200_000).toBeGreaterThan(0.17);
    expect(covered / 200_000).toBeLessThan(0.23);
  });

  it('plans nothing for share 0 and only the requested kinds otherwise', () => {
    expect(planEpisodes(createRng(1), { horizon: 1000, share: 0 })).toEqual([]);
    const kinds = new Set(
      planEpisodes(createRng(1), { horizon: 10_000, share: 0.5, kinds: ['fever'] }).map((e) => e.kind),
    );
    expect([...kinds]).toEqual(['fever']);
  });

  it('refuses a share outside [0, 1) and a non-positive horizon', () => {
    expect(() => planEpisodes(createRng(1), { horizon: 10, share: 1 })).toThrow(RangeError);
    expect(() => planEpisodes(createRng(1), { horizon: 0, share: 0.1 })).toThrow(RangeError);
  });
});
