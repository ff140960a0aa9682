import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { marshal, unmarshal } from '../codec';
import type { KeyRange } from '../keys';
import { implicitCollection, type Page } from '@careledger/contract';
import { decodeBookmark, encodeBookmark } from './bookmarks';
import { readOnce } from './transaction-reads';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The field every private record carries so that Fabric's public hash of it tells nothing. */
const SALT = 'salt';

const saltBytes = 16;
/** Random bytes fetched 256 salts at a time: one call of the system's generator costs about as much as 16 bytes. */
let saltPool = Buffer.alloc(0);
let saltOffset = 0;

/** 16 fresh random bytes, base64; never the same bytes twice. */
function freshSalt(): string {
  if (saltOffset + saltBytes > saltPool.length) {
    saltPool = randomBytes(saltBytes * 256);
    saltOffset = 0;
  }
  const salt = saltPool.toString('base64', saltOffset, saltOffset + saltBytes);
  saltOffset += saltBytes;
  return salt;
}

/**
 * Write a record to `owner`'s implicit collection with a fresh random salt. Fabric puts SHA-256
 * of the value in the block for every member; without the salt, a guess of the content could be
 * confirmed against it. The salt makes endorsements differ between peers, which is harmless here:
 * a write to one organisation's implicit collection is endorsed by one peer of that organisation.
 */
export async function putPrivate(ctx: Context, owner: string, key: string, record: object): Promise<void> {
  const salted = { ...record, [SALT]: freshSalt() };
  await ctx.stub.putPrivateData(implicitCollection(owner), key, marshal(salted));
}

function withoutSalt<T>(bytes: Uint8Array): T {
  const { [SALT]: _salt, ...record } = unmarshal<Record<string, unknown>>(bytes);
  return record as T;
}

/**
 * Read a record of `owner`'s implicit collection; undefined if absent. Only the owner's peers
 * hold the values: on any other peer Fabric fails the read (`private data matching public hash
 * version is not available`), so a read of a custodian's records is answered by its peer alone.
 * Read once per transaction (`readOnce`).
 */
export async function readPrivate<T>(ctx: Context, owner: string, key: string): Promise<T | undefined> {
  const collection = implicitCollection(owner);
  const bytes = await readOnce(ctx, collection, key, () => ctx.stub.getPrivateData(collection, key));
  return bytes && bytes.length > 0 ? withoutSalt<T>(bytes) : undefined;
}

/**
 * Records of a range of `owner`'s collection (Fabric allows this only in read-only
 * transactions). Iterated with `for await`: the shim's promise resolves to an object holding the
 * iterator here, unlike getStateByRange's, and only its async iteration handles both.
 */
async function* privateRange<T>(
  ctx: Context,
  owner: string,
  range: KeyRange,
): AsyncGenerator<{ key: string; record: T }> {
  for await (const kv of ctx.stub.getPrivateDataByRange(implicitCollection(owner), range.start, range.end)) {
    yield { key: kv.key, record: withoutSalt<T>(kv.value) };
  }
}

/** Scan budget of one page of a filtered scan, in keys read. */
const scanBudgetFactor = 10;

/**
 * A page of private records, oldest key first. The scan stops after `pageSize` matches (or a
 * bounded number of keys) and the bookmark is the next key. Read-only transactions only.
 */
export async function privatePage<T>(
  ctx: Context,
  owner: string,
  range: KeyRange,
  pageSize: number,
  bookmark: string,
  keep: (record: T) => boolean = () => true,
): Promise<Page<T>> {
  const start = decodeBookmark(bookmark, range) || range.start;
  const records: T[] = [];
  let next = '';
  let scanned = 0;
  for await (const { key, record } of privateRange<T>(ctx, owner, { start, end: range.end })) {
    if (records.length >= pageSize || scanned >= pageSize * scanBudgetFactor) {
      next = key;
      break;
    }
    scanned += 1;
    if (keep(record)) records.push(record);
  }
  return { records, bookmark: encodeBookmark(next), fetchedRecordsCount: records.length };
}

/** The last `limit` records of a small private range, in key order. Read-only transactions only. */
export async function privateAll<T>(
  ctx: Context,
  owner: string,
  range: KeyRange,
  limit: number,
): Promise<T[]> {
  const records: T[] = [];
  for await (const { record } of privateRange<T>(ctx, owner, range)) {
    records.push(record);
    if (records.length > limit) records.shift();
  }
  return records;
}
