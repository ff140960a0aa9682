import type { Context } from 'fabric-contract-api';
import { unmarshal } from '../codec';

/** History entries kept per answer; older versions are left out. */
export const maxHistoryEntries = 100;

/** The versions of one key, newest first, as the peer's history database returns them. */
export interface KeyVersion<T> {
  txId: string;
  timestamp: string;
  isDelete: boolean;
  value?: T;
}

export async function keyHistory<T>(ctx: Context, key: string): Promise<KeyVersion<T>[]> {
  const iterator = await ctx.stub.getHistoryForKey(key);
  const entries: KeyVersion<T>[] = [];
  try {
    for (
      let r = await iterator.next();
      !r.done && entries.length < maxHistoryEntries;
      r = await iterator.next()
    ) {
      const m = r.value;
      const seconds = Number(m.timestamp.seconds);
      const millis = seconds * 1000 + Math.floor(m.timestamp.nanos / 1e6);
      entries.push({
        txId: m.txId,
        timestamp: new Date(millis).toISOString(),
        isDelete: m.isDelete,
        value: m.isDelete || m.value.length === 0 ? undefined : unmarshal<T>(m.value),
      });
    }
  } finally {
    await iterator.close();
  }
  return entries;
}
