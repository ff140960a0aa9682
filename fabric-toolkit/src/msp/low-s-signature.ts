/**
 * ECDSA P-256 signatures in Fabric's form: DER `SEQUENCE { r INTEGER, s INTEGER }`, with S in
 * the lower half of the curve order (Fabric refuses high-S signatures, so every signer
 * normalises).
 */
const curveOrder = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
const halfOrder = curveOrder >> 1n;

function readInteger(der: Buffer, offset: number): { value: bigint; next: number } {
  const length = der[offset + 1] ?? 0;
  if (der[offset] !== 0x02 || length === 0 || length > 33 || offset + 2 + length > der.length) {
    throw new Error('not a DER ECDSA signature');
  }
  const bytes = der.subarray(offset + 2, offset + 2 + length);
  return { value: BigInt(`0x${bytes.toString('hex')}`), next: offset + 2 + length };
}

/** @throws Error for bytes that are not exactly a DER SEQUENCE of two positive INTEGERs. */
export function parseSignature(der: Buffer): { r: bigint; s: bigint } {
  // P-256 signatures are at most 72 bytes, so the sequence length is always one byte.
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2) {
    throw new Error('not a DER ECDSA signature');
  }
  const r = readInteger(der, 2);
  const s = readInteger(der, r.next);
  if (s.next !== der.length || r.value === 0n || s.value === 0n) throw new Error('not a DER ECDSA signature');
  return { r: r.value, s: s.value };
}

function encodeInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

/** DER `SEQUENCE { r, s }`. */
export function encodeSignature(r: bigint, s: bigint): Buffer {
  const body = Buffer.concat([encodeInteger(r), encodeInteger(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

/** True for a well-formed DER signature whose S is at most half the curve order. */
export function isLowS(der: Buffer): boolean {
  try {
    return parseSignature(der).s <= halfOrder;
  } catch {
    return false;
  }
}

/**
 * The same signature with S replaced by n - S when S is high (both verify; Fabric accepts only
 * the low one). @throws Error for bytes that are not a DER signature.
 */
export function toLowS(der: Buffer): Buffer {
  const { r, s } = parseSignature(der);
  return s <= halfOrder ? der : encodeSignature(r, curveOrder - s);
}

/** The high-S twin of a signature (n - S): for tests that check high-S is refused. */
export function toHighS(der: Buffer): Buffer {
  const { r, s } = parseSignature(der);
  return s > halfOrder ? der : encodeSignature(r, curveOrder - s);
}
