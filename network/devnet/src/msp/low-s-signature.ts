/**
 * ECDSA P-256 signatures in Fabric's form: DER, with S in the lower half of the curve order
 * (Fabric refuses high-S signatures, so every signer normalises).
 */
const curveOrder = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
const halfOrder = curveOrder >> 1n;

function readInteger(der: Buffer, offset: number): { value: bigint; next: number } {
  if (der[offset] !== 0x02) throw new Error('not a DER ECDSA signature');
  const length = der[offset + 1] ?? 0;
  const bytes = der.subarray(offset + 2, offset + 2 + length);
  return { value: BigInt(`0x${bytes.toString('hex') || '0'}`), next: offset + 2 + length };
}

/** @throws Error for bytes that are not a DER SEQUENCE of two INTEGERs. */
export function parseSignature(der: Buffer): { r: bigint; s: bigint } {
  if (der[0] !== 0x30 || der.length < 8) throw new Error('not a DER ECDSA signature');
  const r = readInteger(der, 2);
  const s = readInteger(der, r.next);
  return { r: r.value, s: s.value };
}

function encodeInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

export function isLowS(der: Buffer): boolean {
  try {
    return parseSignature(der).s <= halfOrder;
  } catch {
    return false;
  }
}

/** The same signature with S replaced by n - S when S is high. */
export function toLowS(der: Buffer): Buffer {
  const { r, s } = parseSignature(der);
  if (s <= halfOrder) return der;
  const body = Buffer.concat([encodeInteger(r), encodeInteger(curveOrder - s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}
