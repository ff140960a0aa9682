/** A seeded source of uniform and normal random numbers; the only randomness the models use. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  /** A new generator whose sequence is independent of this one's later draws. */
  fork(label: string): Rng;
}

/** 32-bit string hash (FNV-1a), used to turn seeds and labels into generator state. */
export function hashSeed(value: string | number): number {
  const text = String(value);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

class Mulberry32 implements Rng {
  #state: number;
  #spare: number | undefined;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    // mulberry32 (Tommy Ettinger): small, fast, passes the usual statistical batteries for this use.
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  normal(): number {
    if (this.#spare !== undefined) {
      const value = this.#spare;
      this.#spare = undefined;
      return value;
    }
    // Box–Muller; 1 - next() keeps the logarithm's argument in (0, 1].
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  fork(label: string): Rng {
    return new Mulberry32(hashSeed(`${this.#state}:${label}`) ^ Math.floor(this.next() * 4294967296));
  }
}

/** A deterministic generator: the same seed always gives the same sequence. */
export function createRng(seed: string | number): Rng {
  return new Mulberry32(hashSeed(seed));
}
