import type { Context } from 'fabric-contract-api';
import { KeyEndorsementPolicy } from 'fabric-shim';
import { marshal, unmarshal } from '../codec';
import { ChaincodeError, type Page } from '@careledger/contract';
import type { KeyRange } from '../keys';
import { decodeBookmark, encodeBookmark } from './bookmarks';
import { readOnce } from './transaction-reads';

/** Read one JSON asset; undefined if absent. Reads committed state (no read-your-writes), once per transaction. */
export async function readAsset<T>(ctx: Context, key: string): Promise<T | undefined> {
  const bytes = await readOnce(ctx, '', key, () => ctx.stub.getState(key));
  return bytes && bytes.length > 0 ? unmarshal<T>(bytes) : undefined;
}

/** A key-level (state-based) endorsement policy: one member of `mspId` must endorse. */
export function memberOf(mspId: string): Uint8Array {
  const policy = new KeyEndorsementPolicy();
  policy.addOrgs('MEMBER', mspId);
  return policy.getPolicy();
}

/**
 * Create a key with a JSON asset and a state-based endorsement policy requiring `endorsedBy`,
 * so that once it exists, no other organisation's peer alone can change it. (Creating it is
 * governed by the chaincode-level policy, as Fabric checks a key's committed policy.)
 */
export async function createAsset(
  ctx: Context,
  key: string,
  value: unknown,
  endorsedBy: string,
): Promise<void> {
  await ctx.stub.putState(key, marshal(value));
  await ctx.stub.setStateValidationParameter(key, memberOf(endorsedBy));
}

/**
 * Change an existing key; its endorsement policy stays as set at creation. Setting it again
 * would be a metadata write, and Fabric fails a later transaction of the same block that
 * touches the key with ENDORSEMENT_POLICY_FAILURE instead of a retriable MVCC conflict.
 */
export async function updateAsset(ctx: Context, key: string, value: unknown): Promise<void> {
  await ctx.stub.putState(key, marshal(value));
}

/**
 * A page through the peer's own pagination. Fabric allows it only in read-only transactions,
 * so it serves lists that never write (evaluated): the public list of a custodian's patients.
 */
export async function listPage<T>(
  ctx: Context,
  range: KeyRange,
  pageSize: number,
  bookmark: string,
): Promise<Page<T>> {
  const start = decodeBookmark(bookmark, range) || range.start;
  const { iterator, metadata } = await ctx.stub.getStateByRangeWithPagination(start, range.end, pageSize);
  const records: T[] = [];
  try {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      records.push(unmarshal<T>(r.value.value));
    }
  } finally {
    await iterator.close();
  }
  // An empty last page comes without metadata (fabric-shim drops the peer's empty bytes).
  const next = (metadata as typeof metadata | undefined)?.bookmark ?? '';
  return { records, bookmark: encodeBookmark(next), fetchedRecordsCount: records.length };
}

/**
 * Every record of a small public range (the organisation registry).
 * @throws ChaincodeError CONFLICT if the range holds more than `limit` records.
 */
export async function readAll<T>(ctx: Context, range: KeyRange, limit: number): Promise<T[]> {
  const iterator = await ctx.stub.getStateByRange(range.start, range.end);
  const records: T[] = [];
  try {
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      if (records.length >= limit) {
        throw new ChaincodeError(
          'CONFLICT',
          `more than ${limit} records in one list; refusing to read them all`,
        );
      }
      records.push(unmarshal<T>(r.value.value));
    }
  } finally {
    await iterator.close();
  }
  return records;
}
