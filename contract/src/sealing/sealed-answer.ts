import {
  createCipheriv,
  createDecipheriv,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  KeyObject,
} from 'node:crypto';

/**
 * A read's answer encrypted to the caller's own certificate key. An evaluated answer never
 * enters a block, but a client may *submit* a read instead, and then the answer would be in
 * every member's blocks; sealed, it is readable there by the caller alone.
 *
 * ECIES on the certificate's curve: a fresh ephemeral key pair, ECDH with the caller's public
 * key, HKDF-SHA256 (salt: the ephemeral public key, info: `info` below) to an AES-256-GCM key,
 * a random 96-bit IV; the ciphertext ends with the 16-byte tag. Node's crypto only, so the
 * chaincode and its clients share this one file.
 */
export interface SealedAnswer {
  readonly sealed: typeof algorithm;
  /** The ephemeral public key, SPKI DER, base64. */
  readonly epk: string;
  readonly iv: string;
  /** AES-256-GCM ciphertext of the answer's JSON, then the tag; base64. */
  readonly ciphertext: string;
}

/** A sealed answer of a `T`: what a client gets back when it opens it. */
export type Sealed<T> = SealedAnswer & { readonly __answer?: T };

export const algorithm = 'ECDH-ES+A256GCM';
const info = Buffer.from('careledger sealed answer v1');
const tagLength = 16;

function keyFrom(shared: Buffer, epk: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, epk, info, 32));
}

/**
 * Seal `value` (as JSON) for the holder of `recipient`'s private key.
 * @param recipient an EC public key, or a PEM certificate or public key holding one.
 */
export function sealAnswer<T>(value: T, recipient: KeyObject | string | Buffer): Sealed<T> {
  const publicKey =
    typeof recipient === 'object' && 'type' in recipient ? recipient : createPublicKey(recipient);
  const namedCurve = publicKey.asymmetricKeyDetails?.namedCurve;
  if (publicKey.asymmetricKeyType !== 'ec' || namedCurve === undefined) {
    throw new Error('the caller certificate does not hold an EC key; its answer cannot be sealed');
  }
  const ephemeral = generateKeyPairSync('ec', { namedCurve });
  const epk = ephemeral.publicKey.export({ type: 'spki', format: 'der' });
  const key = keyFrom(diffieHellman({ privateKey: ephemeral.privateKey, publicKey }), epk);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagLength });
  const body = Buffer.concat([
    cipher.update(JSON.stringify(value), 'utf8'),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  return {
    sealed: algorithm,
    epk: epk.toString('base64'),
    iv: iv.toString('base64'),
    ciphertext: body.toString('base64'),
  };
}

export function isSealedAnswer(value: unknown): value is SealedAnswer {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { sealed?: unknown }).sealed === algorithm &&
    typeof (value as { epk?: unknown }).epk === 'string' &&
    typeof (value as { iv?: unknown }).iv === 'string' &&
    typeof (value as { ciphertext?: unknown }).ciphertext === 'string'
  );
}

/**
 * Open a sealed answer with the recipient's private key.
 * @throws Error when the key is not the recipient's or the answer was altered.
 */
export function openAnswer<T>(answer: Sealed<T>, privateKey: KeyObject): T {
  const epk = Buffer.from(answer.epk, 'base64');
  const publicKey = createPublicKey({ key: epk, format: 'der', type: 'spki' });
  const key = keyFrom(diffieHellman({ privateKey, publicKey }), epk);
  const body = Buffer.from(answer.ciphertext, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(answer.iv, 'base64'), {
    authTagLength: tagLength,
  });
  decipher.setAuthTag(body.subarray(body.length - tagLength));
  const plain = Buffer.concat([decipher.update(body.subarray(0, body.length - tagLength)), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as T;
}
