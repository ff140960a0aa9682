import { sha256 } from './key-order';

/** data_hash: SHA-256 of the plain concatenation of the block's envelopes (not a Merkle tree). */
export function blockDataHash(data: readonly Uint8Array[]): Buffer {
  return sha256(Buffer.concat(data));
}

/**
 * The header hash (the next block's previous_hash): SHA-256 of the DER encoding of
 * SEQUENCE { INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash }, as Go's
 * encoding/asn1 writes it.
 */
export function blockHeaderHash(number: bigint, previousHash: Uint8Array, dataHash: Uint8Array): Buffer {
  const body = Buffer.concat([derInteger(number), derTlv(0x04, previousHash), derTlv(0x04, dataHash)]);
  return sha256(derTlv(0x30, body));
}

function derInteger(n: bigint): Buffer {
  if (n < 0n) throw new Error('block numbers are not negative');
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  // Minimal two's complement: a leading 0x00 when the high bit is set.
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return derTlv(0x02, bytes);
}

function derTlv(tag: number, content: Uint8Array): Buffer {
  const len = content.length;
  let lenBytes: Buffer;
  if (len < 0x80) {
    lenBytes = Buffer.from([len]);
  } else {
    let hex = len.toString(16);
    if (hex.length % 2 === 1) hex = `0${hex}`;
    const raw = Buffer.from(hex, 'hex');
    lenBytes = Buffer.concat([Buffer.from([0x80 | raw.length]), raw]);
  }
  return Buffer.concat([Buffer.from([tag]), lenBytes, content]);
}
