const P256_N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');
const HALF_N = P256_N >> 1n;

function readInt(der: Buffer, pos: number): { value: bigint; next: number } {
  if (der[pos] !== 0x02) throw new Error('not a DER integer');
  const len = der[pos + 1] ?? 0;
  const bytes = der.subarray(pos + 2, pos + 2 + len);
  return { value: BigInt(`0x${bytes.toString('hex') || '0'}`), next: pos + 2 + len };
}

function intBytes(n: bigint): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  let b = Buffer.from(hex, 'hex');
  if ((b[0] ?? 0) & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return Buffer.concat([Buffer.from([0x02, b.length]), b]);
}

/** (r, s) of a DER ECDSA signature (P-256 sizes only). */
export function parseDerSignature(der: Buffer): { r: bigint; s: bigint } {
  if (der[0] !== 0x30) throw new Error('not a DER sequence');
  const r = readInt(der, 2);
  const s = readInt(der, r.next);
  return { r: r.value, s: s.value };
}

/** Rewrites a P-256 signature to low-S form, as Fabric's signers do. */
export function toLowS(der: Buffer): Buffer {
  const { r, s } = parseDerSignature(der);
  const lowS = s > HALF_N ? P256_N - s : s;
  const body = Buffer.concat([intBytes(r), intBytes(lowS)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

export function isLowS(der: Buffer): boolean {
  return parseDerSignature(der).s <= HALF_N;
}
