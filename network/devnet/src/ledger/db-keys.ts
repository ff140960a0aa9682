/**
 * The LevelDB key layout. Every key starts with a one-byte table prefix; names (namespace,
 * collection) are followed by 0x00, which no chaincode or collection name contains, so keys of
 * one namespace sort together and in the UTF-8 byte order of the chaincode's key.
 */
const SEP = Buffer.from([0]);

const table = {
  state: 's',
  hashed: 'h',
  private: 'p',
  history: 'y',
  block: 'b',
  header: 'k',
  txIndex: 'x',
  transient: 't',
  transientByHeight: 'u',
  blockPrivate: 'v',
  privateWrite: 'w',
  expiry: 'e',
  meta: 'm',
} as const;

function prefixed(t: string, ...parts: (string | Buffer)[]): Buffer {
  return Buffer.concat([
    Buffer.from(t),
    ...parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)),
  ]);
}

export function u64(n: number | bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

/** A key range: gte inclusive, lt exclusive (absent = to the end of the table/namespace). */
export interface KeyRange {
  readonly gte: Buffer;
  readonly lt?: Buffer;
  readonly lte?: Buffer;
}

/** Every entry of one table: from its prefix letter up to the next letter. */
function wholeTable(t: string): KeyRange {
  return { gte: Buffer.from(t), lt: Buffer.from(String.fromCharCode(t.charCodeAt(0) + 1)) };
}

/** [start, end) within one prefix, or [start, end] if `inclusiveEnd`; '' end = to the end of the prefix. */
function rangeIn(prefix: Buffer, start: string, end: string, inclusiveEnd = false): KeyRange {
  const gte = Buffer.concat([prefix, Buffer.from(start, 'utf8')]);
  if (end === '') {
    const upper = Buffer.from(prefix);
    // The prefix ends with 0x00; the same prefix with 0x01 bounds everything under it.
    upper[upper.length - 1] = 1;
    return { gte, lt: upper };
  }
  const bound = Buffer.concat([prefix, Buffer.from(end, 'utf8')]);
  return inclusiveEnd ? { gte, lte: bound } : { gte, lt: bound };
}

export const dbKeys = {
  /** Every entry of a table (`tableRange('state')`: all public state of every namespace). */
  tableRange: (name: keyof typeof table): KeyRange => wholeTable(table[name]),

  statePrefix: (ns: string): Buffer => prefixed(table.state, ns, SEP),
  state: (ns: string, key: string): Buffer => prefixed(table.state, ns, SEP, key),
  stateRange: (ns: string, start: string, end: string, inclusiveEnd = false): KeyRange =>
    rangeIn(dbKeys.statePrefix(ns), start, end, inclusiveEnd),

  hashed: (ns: string, coll: string, keyHash: Buffer): Buffer =>
    prefixed(table.hashed, ns, SEP, coll, SEP, keyHash),

  privatePrefix: (ns: string, coll: string): Buffer => prefixed(table.private, ns, SEP, coll, SEP),
  private: (ns: string, coll: string, key: string): Buffer =>
    prefixed(table.private, ns, SEP, coll, SEP, key),
  privateRange: (ns: string, coll: string, start: string, end: string): KeyRange =>
    rangeIn(dbKeys.privatePrefix(ns, coll), start, end),

  /** The key is length-prefixed so that "a" and "a\0…" never share a history prefix. */
  historyPrefix: (ns: string, key: string): Buffer => {
    const k = Buffer.from(key, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(k.length);
    return prefixed(table.history, ns, SEP, len, k);
  },
  history: (ns: string, key: string, blockNum: number, txNum: number): Buffer =>
    Buffer.concat([dbKeys.historyPrefix(ns, key), u64(blockNum), u64(txNum)]),

  block: (n: number | bigint): Buffer => prefixed(table.block, u64(n)),
  header: (n: number | bigint): Buffer => prefixed(table.header, u64(n)),
  headerRange: (): KeyRange => wholeTable(table.header),
  txIndex: (txId: string): Buffer => prefixed(table.txIndex, txId),

  /** Every entry of the transient store (not its by-height index). */
  transientTable: (): KeyRange => ({
    gte: Buffer.from(table.transient),
    lt: Buffer.from(table.transientByHeight),
  }),
  transientPrefix: (txId: string): Buffer => prefixed(table.transient, txId, SEP),
  transient: (txId: string, digest: Buffer): Buffer => prefixed(table.transient, txId, SEP, digest),
  transientByHeight: (height: number, txId: string, digest: Buffer): Buffer =>
    prefixed(table.transientByHeight, u64(height), txId, SEP, digest),
  transientByHeightBelow: (height: number): KeyRange => ({
    gte: Buffer.from(table.transientByHeight),
    lt: prefixed(table.transientByHeight, u64(height)),
  }),

  /** A valid transaction's private write set, as committed (Fabric's private data store). */
  blockPrivate: (block: number, txNum: number): Buffer => {
    const tx = Buffer.alloc(4);
    tx.writeUInt32BE(txNum);
    return prefixed(table.blockPrivate, u64(block), tx);
  },
  blockPrivateOf: (block: number): KeyRange => ({
    gte: prefixed(table.blockPrivate, u64(block)),
    lt: prefixed(table.blockPrivate, u64(block + 1)),
  }),
  /** Index of `blockPrivate` by written key (its hash), so that a purge finds every stored version. */
  privateWritePrefix: (ns: string, coll: string, keyHash: Buffer): Buffer =>
    prefixed(table.privateWrite, ns, SEP, coll, SEP, keyHash),
  privateWrite: (ns: string, coll: string, keyHash: Buffer, block: number, txNum: number): Buffer => {
    const tx = Buffer.alloc(4);
    tx.writeUInt32BE(txNum);
    return Buffer.concat([dbKeys.privateWritePrefix(ns, coll, keyHash), u64(block), tx]);
  },

  /**
   * Fabric's private data expiry schedule (BlockToLive): at the commit of block `expiry` the key
   * (its hash) written at block `committing` is purged, or, with an empty key hash, the collection's
   * write sets of that block in the private data store. The value is the key itself, if known.
   */
  expiry: (expiry: number, committing: number, ns: string, coll: string, keyHash: Buffer): Buffer =>
    prefixed(table.expiry, u64(expiry), u64(committing), ns, SEP, coll, SEP, keyHash),
  expiryAt: (block: number): KeyRange => ({
    gte: prefixed(table.expiry, u64(block)),
    lt: prefixed(table.expiry, u64(block + 1)),
  }),
  expiryTable: (): KeyRange => wholeTable(table.expiry),

  /** { height, lastHash, lastConfig }: written in the same batch as each block. */
  chainInfo: Buffer.from('m:chain'),
  /** The application's data format (`data-format.ts`), written when the ledger is created. */
  dataFormat: Buffer.from('m:dataFormat'),
};

/** Everything after a fixed-length prefix, as UTF-8. */
export function suffixAfter(key: Buffer, prefixLength: number): string {
  return key.subarray(prefixLength).toString('utf8');
}
