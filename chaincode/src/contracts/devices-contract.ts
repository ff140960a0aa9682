import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { authorize, authorizeAtOwnOrganization, requirePatient } from '../access-guard';
import { Device } from '../assets/device';
import { resolveCaller, txTime, type Caller } from '../caller';
import { ChaincodeError } from '../error-code';
import { keys } from '../keys';
import { createAsset, readAsset, updateAsset } from '../ledger/world-state';
import { deviceSchema, idSchema } from '../rules/input-schemas';
import { parseJsonArgument, parseValue } from '../rules/parse-input';

/** @throws ChaincodeError NOT_FOUND, or ACCESS_DENIED for a device of another organisation. */
async function requireOwnDevice(ctx: Context, caller: Caller, deviceId: string): Promise<Device> {
  const device = await readAsset<Device>(ctx, keys.device(deviceId));
  if (!device) throw new ChaincodeError('NOT_FOUND', `device ${deviceId} does not exist`);
  if (device.orgMspId !== caller.mspId) {
    throw new ChaincodeError('ACCESS_DENIED', `device ${deviceId} belongs to ${device.orgMspId}`);
  }
  return device;
}

/** Devices of a hospital and the patient each is bound to. */
@Info({ title: 'Devices', description: 'Sensor registration and binding to patients' })
export class DevicesContract extends Contract {
  constructor() {
    super('Devices');
  }

  /** Register a device of the caller's hospital, optionally bound at once to a patient. */
  @Transaction()
  @Returns('Device')
  public async register(ctx: Context, deviceJson: string): Promise<Device> {
    const input = parseJsonArgument(deviceSchema, deviceJson, 'device');
    const caller = await resolveCaller(ctx);
    authorizeAtOwnOrganization(caller, 'registerDevice');
    if (await readAsset<Device>(ctx, keys.device(input.deviceId))) {
      throw new ChaincodeError('CONFLICT', `device ${input.deviceId} already exists`);
    }
    const at = txTime(ctx).toISOString();
    const device: Device = {
      deviceId: input.deviceId,
      type: input.type,
      orgMspId: caller.mspId,
      registeredAt: at,
    };
    if (input.patientId !== undefined) {
      const patient = await requirePatient(ctx, input.patientId);
      await authorize(ctx, caller, 'bindDevice', patient);
      device.patientId = patient.patientId;
      device.boundAt = at;
    }
    await createAsset(ctx, keys.device(device.deviceId), device, caller.mspId);
    return device;
  }

  /** Bind (or re-bind) a device of the caller's hospital to one of its patients. */
  @Transaction()
  @Returns('Device')
  public async bind(ctx: Context, deviceId: string, patientId: string): Promise<Device> {
    parseValue(idSchema, deviceId, 'deviceId');
    parseValue(idSchema, patientId, 'patientId');
    const caller = await resolveCaller(ctx);
    const device = await requireOwnDevice(ctx, caller, deviceId);
    const patient = await requirePatient(ctx, patientId);
    await authorize(ctx, caller, 'bindDevice', patient);
    const bound: Device = { ...device, patientId, boundAt: txTime(ctx).toISOString() };
    await updateAsset(ctx, keys.device(deviceId), bound);
    return bound;
  }

  @Transaction(false)
  @Returns('Device')
  public async get(ctx: Context, deviceId: string): Promise<Device> {
    parseValue(idSchema, deviceId, 'deviceId');
    const caller = await resolveCaller(ctx);
    return requireOwnDevice(ctx, caller, deviceId);
  }
}
