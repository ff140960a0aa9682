import { createHash } from 'node:crypto';

/** Compares strings by their UTF-8 bytes, as LevelDB (and Fabric) order keys. */
export function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function sha256(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest();
}

/** Sorted copy of a map's entries by key, in UTF-8 byte order. */
export function sortedEntries<V>(map: ReadonlyMap<string, V>): [string, V][] {
  return [...map].sort(([a], [b]) => compareUtf8(a, b));
}
