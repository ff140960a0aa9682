import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { encodeSignature, isLowS, parseSignature, toHighS, toLowS } from './low-s-signature';

const n = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');

describe('low-S signatures', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const message = Buffer.from('signed proposal bytes');

  it('normalises any signature to low-S that still verifies, and leaves low ones unchanged', () => {
    let sawHigh = false;
    for (let i = 0; i < 64; i++) {
      const raw = sign('sha256', message, { key: privateKey, dsaEncoding: 'der' });
      sawHigh ||= !isLowS(raw);
      const low = toLowS(raw);
      expect(isLowS(low)).toBe(true);
      expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, low)).toBe(true);
      if (isLowS(raw)) expect(low).toBe(raw);
      expect(parseSignature(toHighS(low)).s).toBe(n - parseSignature(low).s);
    }
    // 64 random signatures are all low-S with probability 2^-64: the high branch was exercised.
    expect(sawHigh).toBe(true);
  });

  it('treats S = n/2 as low and n/2 + 1 as high (the boundary Fabric uses)', () => {
    const half = n >> 1n;
    expect(isLowS(encodeSignature(5n, half))).toBe(true);
    expect(isLowS(encodeSignature(5n, half + 1n))).toBe(false);
  });

  it('refuses bytes that are not exactly a DER signature', () => {
    const good = toLowS(sign('sha256', message, { key: privateKey, dsaEncoding: 'der' }));
    for (const bad of [
      Buffer.alloc(0),
      Buffer.from('garbage!'),
      Buffer.concat([good, Buffer.from([0])]), // trailing byte
      good.subarray(0, good.length - 1), // truncated
      encodeSignature(0n, 5n),
    ]) {
      expect(isLowS(bad)).toBe(false);
      expect(() => parseSignature(bad)).toThrow('not a DER ECDSA signature');
    }
  });
});
