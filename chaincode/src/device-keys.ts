import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { ChaincodeError } from '@careledger/contract';
import { privateKeys } from './keys';
import { readPrivate } from './ledger/private-records';

/**
 * The key a device signs its readings with: its own enrolment certificate's public key, stored
 * by `Devices:enrollKey` (a transaction the device itself submits, so Fabric's MSP has checked
 * the certificate and the device has proved it holds the key), in its hospital's collection.
 */
export interface DeviceKey {
  readonly deviceId: string;
  /** SPKI PEM of the device certificate's public key. */
  readonly publicKeyPem: string;
  /** The device's Fabric identity (`x509::subject::issuer`): whom its readings are attributed to. */
  readonly actorId: string;
  readonly enrolledAt: string;
  readonly txId: string;
}

/** The public key of the certificate that signed the proposal, as SPKI PEM. */
export function creatorPublicKeyPem(ctx: Context): string {
  const creator = ctx.stub.getCreator();
  try {
    return createPublicKey(Buffer.from(creator.idBytes)).export({ type: 'spki', format: 'pem' }).toString();
  } catch (err) {
    throw new ChaincodeError('INVALID_ARGUMENT', `the caller's certificate: ${(err as Error).message}`);
  }
}

/** A device's enrolled key, if any. */
export function readDeviceKey(ctx: Context, mspId: string, deviceId: string): Promise<DeviceKey | undefined> {
  return readPrivate<DeviceKey>(ctx, mspId, privateKeys.deviceKey(deviceId));
}

/**
 * Parsed public keys by their PEM, across transactions: parsing one costs about 0.4 ms, the
 * largest share of a signed reading's CPU. The key still comes from the ledger in every
 * transaction (its read is in the read set); only the parsing of the same bytes is reused.
 */
const parsedKeys = new Map<string, KeyObject>();
const maxParsedKeys = 10_000;

function parsedKey(pem: string): KeyObject {
  let key = parsedKeys.get(pem);
  if (key === undefined) {
    key = createPublicKey(pem);
    if (parsedKeys.size >= maxParsedKeys) parsedKeys.delete(parsedKeys.keys().next().value as string);
    parsedKeys.set(pem, key);
  }
  return key;
}

/** Enrolled keys read once per transaction, parsed once. */
export class DeviceKeyCache {
  readonly #ctx: Context;
  readonly #mspId: string;
  readonly #keys = new Map<string, { key: DeviceKey; publicKey: KeyObject } | undefined>();

  constructor(ctx: Context, mspId: string) {
    this.#ctx = ctx;
    this.#mspId = mspId;
  }

  /** @throws ChaincodeError PRECONDITION_FAILED for a device that has enrolled no key here. */
  async of(deviceId: string, path: string): Promise<{ key: DeviceKey; publicKey: KeyObject }> {
    if (!this.#keys.has(deviceId)) {
      const key = await readDeviceKey(this.#ctx, this.#mspId, deviceId);
      this.#keys.set(deviceId, key && { key, publicKey: parsedKey(key.publicKeyPem) });
    }
    const found = this.#keys.get(deviceId);
    if (found === undefined) {
      throw new ChaincodeError(
        'PRECONDITION_FAILED',
        `${path}: device ${deviceId} has enrolled no signing key at ${this.#mspId} (Devices:enrollKey)`,
      );
    }
    return found;
  }
}
