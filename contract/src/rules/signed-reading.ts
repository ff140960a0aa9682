import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { ChaincodeError } from '../error-code';
import { idSchema, readingSchema, type ReadingInput } from './input-schemas';

/**
 * A reading as its device signed it: `payload` is the exact JSON text the device signed (a
 * reading that names its `deviceId`), `signature` the device's ECDSA (or Ed25519) signature
 * over it, base64. Whoever relays it — the REST gateway, batching many devices' readings in one
 * transaction — can neither forge nor alter it: the chaincode verifies the signature against the
 * key the device enrolled on the ledger (`Devices:enrollKey`) before it records anything.
 * Signing the bytes themselves needs no canonical JSON: the chaincode parses what was signed.
 */
export const signedReadingSchema = z.strictObject({
  payload: z.string().min(2).max(2048),
  signature: z
    .string()
    .max(256)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64'),
});
export type SignedReading = z.infer<typeof signedReadingSchema>;

/** Signed readings one `Vitals:recordSigned` takes at most. */
export const maxSignedBatch = 500;
export const signedReadingBatchSchema = z.array(signedReadingSchema).min(1).max(maxSignedBatch);

/** A reading that names the device that took it (what a device signs). */
export type DeviceReading = ReadingInput & { readonly deviceId: string };

/** Signs a reading with its device's private key (what the device itself does). */
export function signReading(reading: DeviceReading, privateKey: KeyObject | string): SignedReading {
  const payload = JSON.stringify(reading);
  return { payload, signature: sign('sha256', Buffer.from(payload, 'utf8'), privateKey).toString('base64') };
}

/** Whether `signed` was signed by the private key of `publicKey` (a PEM public key or certificate). */
export function verifyReadingSignature(signed: SignedReading, publicKey: KeyObject | string): boolean {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  try {
    return verify(
      'sha256',
      Buffer.from(signed.payload, 'utf8'),
      key,
      Buffer.from(signed.signature, 'base64'),
    );
  } catch {
    return false;
  }
}

/**
 * The reading a signed payload holds.
 * @throws ChaincodeError INVALID_ARGUMENT when it is not JSON, not a valid reading, or names no device.
 */
export function parseSignedPayload(payload: string, path: string): DeviceReading {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    throw new ChaincodeError('INVALID_ARGUMENT', `${path}.payload: not JSON`);
  }
  const parsed = readingSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = [path, 'payload', ...(issue?.path ?? [])].join('.');
    throw new ChaincodeError('INVALID_ARGUMENT', `${field}: ${issue?.message ?? 'invalid'}`);
  }
  if (parsed.data.deviceId === undefined || !idSchema.safeParse(parsed.data.deviceId).success) {
    throw new ChaincodeError(
      'INVALID_ARGUMENT',
      `${path}.payload.deviceId: a signed reading names its device`,
    );
  }
  return parsed.data as DeviceReading;
}
