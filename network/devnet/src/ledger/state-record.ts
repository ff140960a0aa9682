/** A committed version: the block and the index of the transaction in it. */
export interface Version {
  readonly blockNum: number;
  readonly txNum: number;
}

/** A value in world state (public, hashed or private) with its version and metadata. */
export interface StateRecord {
  readonly value: Buffer;
  readonly version: Version;
  readonly metadata: ReadonlyMap<string, Buffer>;
}

export const VALIDATION_PARAMETER = 'VALIDATION_PARAMETER';

export function sameVersion(a: Version | undefined, b: Version | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.blockNum === b.blockNum && a.txNum === b.txNum;
}

/** Layout: blockNum u64, txNum u64, entry count u16, entries (u16 name length, name, u32 value length, value), value. */
export function encodeStateRecord(record: StateRecord): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(18);
  head.writeBigUInt64BE(BigInt(record.version.blockNum), 0);
  head.writeBigUInt64BE(BigInt(record.version.txNum), 8);
  head.writeUInt16BE(record.metadata.size, 16);
  parts.push(head);
  for (const [name, value] of [...record.metadata].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const n = Buffer.from(name, 'utf8');
    const lens = Buffer.alloc(6);
    lens.writeUInt16BE(n.length, 0);
    lens.writeUInt32BE(value.length, 2);
    parts.push(lens.subarray(0, 2), n, lens.subarray(2), value);
  }
  parts.push(record.value);
  return Buffer.concat(parts);
}

/** @throws Error if the bytes are not a state record (a corrupt store). */
export function decodeStateRecord(bytes: Buffer): StateRecord {
  if (bytes.length < 18) throw new Error('corrupt state record: too short');
  const version = { blockNum: Number(bytes.readBigUInt64BE(0)), txNum: Number(bytes.readBigUInt64BE(8)) };
  const count = bytes.readUInt16BE(16);
  const metadata = new Map<string, Buffer>();
  let pos = 18;
  for (let i = 0; i < count; i += 1) {
    const nameLength = bytes.readUInt16BE(pos);
    const name = bytes.toString('utf8', pos + 2, pos + 2 + nameLength);
    pos += 2 + nameLength;
    const valueLength = bytes.readUInt32BE(pos);
    metadata.set(name, Buffer.from(bytes.subarray(pos + 4, pos + 4 + valueLength)));
    pos += 4 + valueLength;
  }
  if (pos > bytes.length) throw new Error('corrupt state record: metadata overruns the record');
  return { value: Buffer.from(bytes.subarray(pos)), version, metadata };
}
