import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { ChaincodeError } from '@careledger/contract';
import type { Device } from '@careledger/contract/assets';
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

/**
 * A device record as stored: the registry's `Device` and, once the device has enrolled one, its
 * signing key. The key lives in the record a signed reading reads anyway (the device's binding),
 * so verifying a reading costs no read of its own. Devices enrolled before keys were kept here
 * have them in a record of their own (`privateKeys.deviceKey`), still read for them.
 */
export type StoredDevice = Device & { readonly signingKey?: DeviceKey };

/** A device's enrolled key, if any (undefined for a device not registered at `mspId`). */
export async function readDeviceKey(
  ctx: Context,
  mspId: string,
  deviceId: string,
): Promise<DeviceKey | undefined> {
  const device = await readPrivate<StoredDevice>(ctx, mspId, privateKeys.device(deviceId));
  if (device === undefined) return undefined;
  return device.signingKey ?? readPrivate<DeviceKey>(ctx, mspId, privateKeys.deviceKey(deviceId));
}

/** The device record as the registry answers it: without the signing key. */
export function registryDevice(stored: StoredDevice): Device {
  const { signingKey: _signingKey, ...device } = stored;
  return device;
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

/**
 * The key `deviceId` enrolled, parsed (the read is the transaction's one read of the device record).
 * @throws ChaincodeError PRECONDITION_FAILED for a device that has enrolled no key here.
 */
export async function enrolledKeyOf(
  ctx: Context,
  mspId: string,
  deviceId: string,
  path: string,
): Promise<{ key: DeviceKey; publicKey: KeyObject }> {
  const key = await readDeviceKey(ctx, mspId, deviceId);
  if (key === undefined) {
    throw new ChaincodeError(
      'PRECONDITION_FAILED',
      `${path}: device ${deviceId} has enrolled no signing key at ${mspId} (Devices:enrollKey)`,
    );
  }
  return { key, publicKey: parsedKey(key.publicKeyPem) };
}
