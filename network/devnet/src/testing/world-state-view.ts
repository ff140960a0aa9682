import { VALIDATION_PARAMETER, type StateRecord } from '../ledger/state-record';
import type { InMemoryState } from './in-memory-state';

/** A chaincode's committed world state, as plain Maps in key byte order, for assertions. */
export interface WorldStateView {
  /** Public key → its committed record (value, version, metadata). */
  readonly state: ReadonlyMap<string, StateRecord>;
  /** Collection → private key → value, for every collection holding values. */
  readonly privateData: ReadonlyMap<string, ReadonlyMap<string, Buffer>>;
  /** Public key → its key-level endorsement policy, for the keys that have one. */
  readonly validationParameters: ReadonlyMap<string, Buffer>;
}

/** A snapshot of `namespace`'s committed world state in `state`. */
export function worldStateView(state: InMemoryState, namespace: string): WorldStateView {
  const records = state.publicRecords(namespace);
  const validationParameters = new Map<string, Buffer>();
  for (const [key, record] of records) {
    const policy = record.metadata.get(VALIDATION_PARAMETER);
    if (policy !== undefined) validationParameters.set(key, policy);
  }
  return {
    state: new Map(records),
    privateData: new Map(
      state
        .collections(namespace)
        .map((coll) => [coll, new Map(state.privateRecords(namespace, coll).map(([k, r]) => [k, r.value]))]),
    ),
    validationParameters,
  };
}
