/**
 * A Map that keeps at most `max` entries, least recently used first out; `onEvict` lets the
 * owner release what an evicted value holds.
 */
export class BoundedMap<K, V> {
  readonly #max: number;
  readonly #onEvict: ((value: V) => void) | undefined;
  readonly #map = new Map<K, V>();

  constructor(options: Readonly<{ max: number; onEvict?: (value: V) => void }>) {
    this.#max = options.max;
    this.#onEvict = options.onEvict;
  }

  get size(): number {
    return this.#map.size;
  }

  /** The value, marked as most recently used. */
  get(key: K): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    while (this.#map.size > this.#max) {
      const oldest = this.#map.entries().next();
      if (oldest.done) return;
      this.#map.delete(oldest.value[0]);
      this.#onEvict?.(oldest.value[1]);
    }
  }

  values(): IterableIterator<V> {
    return this.#map.values();
  }

  clear(): void {
    this.#map.clear();
  }
}
