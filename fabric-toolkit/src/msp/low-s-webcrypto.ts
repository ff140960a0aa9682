import { webcrypto } from 'node:crypto';

const curveOrder = BigInt('0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551');
const halfOrder = curveOrder >> 1n;

/** WebCrypto's P-256 ECDSA signature is r ‖ s, 32 bytes each: replace a high s by n - s. */
function lowS(raw: ArrayBuffer): ArrayBuffer {
  const bytes = Buffer.from(raw);
  if (bytes.length !== 64) return raw;
  const s = BigInt(`0x${bytes.subarray(32).toString('hex')}`);
  if (s <= halfOrder) return raw;
  const low = Buffer.from((curveOrder - s).toString(16).padStart(64, '0'), 'hex');
  return Uint8Array.from(Buffer.concat([bytes.subarray(0, 32), low])).buffer;
}

const subtle = new Proxy(webcrypto.subtle, {
  get(target, property) {
    if (property === 'sign') {
      return async (...args: Parameters<webcrypto.SubtleCrypto['sign']>) => {
        const signature = await target.sign(...args);
        const algorithm = args[0];
        const name = typeof algorithm === 'string' ? algorithm : algorithm.name;
        return name.toUpperCase() === 'ECDSA' ? lowS(signature) : signature;
      };
    }
    const value: unknown = Reflect.get(target, property);
    return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
  },
});

/**
 * Node's WebCrypto, except that ECDSA signatures are low-S, as Fabric CA's signer makes them:
 * certificates this tooling issues then keep their bytes when Fabric's MSP "sanitizes" them
 * (it rewrites a high-S certificate signature to low-S).
 */
export const lowSWebCrypto = {
  subtle,
  getRandomValues: webcrypto.getRandomValues.bind(webcrypto),
  randomUUID: webcrypto.randomUUID.bind(webcrypto),
} as unknown as webcrypto.Crypto;
