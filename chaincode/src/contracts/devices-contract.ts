import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { sealForCaller } from '../sealing/seal-for-caller';
import {
  ChaincodeError,
  deviceOf,
  deviceSchema,
  idSchema,
  parseValue,
  type Sealed,
  TransientKey,
} from '@careledger/contract';
import { Device, Receipt } from '@careledger/contract/assets';
import { authorize, authorizeAtOwnOrganization } from '../access-guard';
import { actorOf, resolveCaller, txTime, type Caller } from '../caller';
import {
  creatorPublicKeyPem,
  readDeviceKey,
  registryDevice,
  type DeviceKey,
  type StoredDevice,
} from '../device-keys';
import { privateKeys } from '../keys';
import { putPrivate, readPrivate } from '../ledger/private-records';
import { transientInput } from '../transient-input';

/** @throws ChaincodeError NOT_FOUND (also for another organisation's device: ids are per organisation). */
async function requireOwnDevice(ctx: Context, caller: Caller, deviceId: string): Promise<StoredDevice> {
  const device = await readPrivate<StoredDevice>(ctx, caller.mspId, privateKeys.device(deviceId));
  if (!device) throw new ChaincodeError('NOT_FOUND', `device ${deviceId} of ${caller.mspId} does not exist`);
  return device;
}

function receiptOf(
  ctx: Context,
  caller: Caller,
  device: Pick<Device, 'deviceId' | 'patientId'>,
  at: string,
): Receipt {
  return {
    id: device.deviceId,
    patientId: device.patientId,
    custodianMspId: caller.mspId,
    at,
    by: actorOf(caller),
    txId: ctx.stub.getTxID(),
    replayed: false,
  };
}

/**
 * Devices of a hospital and the patient each is bound to, in the hospital's own implicit
 * collection: which monitor watches which patient is for the hospital alone.
 */
@Info({ title: 'Devices', description: 'Sensor registration and binding to patients' })
export class DevicesContract extends Contract {
  constructor() {
    super('Devices');
  }

  /** Register a device of the caller's hospital (transient `device`), optionally bound at once to a patient. */
  @Transaction()
  @Returns('Receipt')
  public async register(ctx: Context): Promise<Receipt> {
    const caller = await resolveCaller(ctx);
    authorizeAtOwnOrganization(caller, 'registerDevice');
    const input = transientInput(ctx, TransientKey.device, deviceSchema);
    if (await readPrivate<Device>(ctx, caller.mspId, privateKeys.device(input.deviceId))) {
      throw new ChaincodeError('CONFLICT', `device ${input.deviceId} already exists`);
    }
    if (input.patientId !== undefined) {
      await authorize(ctx, caller, 'bindDevice', {
        custodianMspId: caller.mspId,
        patientId: input.patientId,
      });
    }
    const at = txTime(ctx).toISOString();
    const receipt = receiptOf(ctx, caller, { deviceId: input.deviceId, patientId: input.patientId }, at);
    await putPrivate(ctx, caller.mspId, privateKeys.device(input.deviceId), deviceOf(input, receipt));
    return receipt;
  }

  /** Bind (or re-bind) a device of the caller's hospital to one of its patients (the decision comes before the device is looked up). */
  @Transaction()
  @Returns('Receipt')
  public async bind(ctx: Context, deviceId: string, patientId: string): Promise<Receipt> {
    parseValue(idSchema, deviceId, 'deviceId');
    parseValue(idSchema, patientId, 'patientId');
    const caller = await resolveCaller(ctx);
    await authorize(ctx, caller, 'bindDevice', { custodianMspId: caller.mspId, patientId });
    const device = await requireOwnDevice(ctx, caller, deviceId);
    const at = txTime(ctx).toISOString();
    const bound: StoredDevice = { ...device, patientId, boundAt: at };
    await putPrivate(ctx, caller.mspId, privateKeys.device(deviceId), bound);
    return receiptOf(ctx, caller, bound, at);
  }

  /**
   * A device enrols the public key of its own certificate (the one signing this proposal) as the
   * key its signed readings are verified with (`Vitals:recordSigned`), kept in its device record
   * (`StoredDevice`). Submitted by the device itself; enrolling the same key again changes
   * nothing, another (a renewed certificate) replaces it.
   */
  @Transaction()
  @Returns('Receipt')
  public async enrollKey(ctx: Context): Promise<Receipt> {
    const caller = await resolveCaller(ctx);
    if (caller.role !== 'device' || caller.deviceId === undefined) {
      throw new ChaincodeError(
        'ACCESS_DENIED',
        `only a device enrols its own signing key; the caller is a ${caller.role}`,
      );
    }
    const device = await requireOwnDevice(ctx, caller, caller.deviceId);
    const publicKeyPem = creatorPublicKeyPem(ctx);
    const enrolled = await readDeviceKey(ctx, caller.mspId, caller.deviceId);
    if (enrolled?.publicKeyPem === publicKeyPem && enrolled.actorId === caller.id) {
      return {
        ...receiptOf(ctx, caller, device, enrolled.enrolledAt),
        txId: enrolled.txId,
        replayed: true,
      };
    }
    const at = txTime(ctx).toISOString();
    const key: DeviceKey = {
      deviceId: caller.deviceId,
      publicKeyPem,
      actorId: caller.id,
      enrolledAt: at,
      txId: ctx.stub.getTxID(),
    };
    const enrolledDevice: StoredDevice = { ...device, signingKey: key };
    await putPrivate(ctx, caller.mspId, privateKeys.device(caller.deviceId), enrolledDevice);
    return receiptOf(ctx, caller, device, at);
  }

  /** A device of the caller's own organisation (evaluated on its peer). */
  @Transaction(false)
  @Returns('SealedAnswer')
  public async get(ctx: Context, deviceId: string): Promise<Sealed<Device>> {
    parseValue(idSchema, deviceId, 'deviceId');
    const caller = await resolveCaller(ctx);
    return sealForCaller(ctx, requireOwnDevice(ctx, caller, deviceId).then(registryDevice));
  }
}
