import type { Context } from 'fabric-contract-api';
import { authorize } from './access-guard';
import {
  ChaincodeError,
  classifyReading,
  type Device,
  EventName,
  raisesAlert,
  type ReadingInput,
  type Receipt,
  type VitalAlert,
  type VitalSign,
  vitalSignOf,
} from '@careledger/contract';
import { actorOf, txTime, type Caller } from './caller';
import { marshal } from './codec';
import { privateKeys } from './keys';
import { putPrivate, readPrivate } from './ledger/private-records';

interface ReadingIndex {
  readonly patientId: string;
  readonly key: string;
}

function sameReading(stored: VitalSign, candidate: VitalSign): boolean {
  return (
    stored.patientId === candidate.patientId &&
    stored.type === candidate.type &&
    stored.unit === candidate.unit &&
    stored.observedAt === candidate.observedAt &&
    stored.deviceId === candidate.deviceId &&
    stored.value === candidate.value &&
    stored.systolic === candidate.systolic &&
    stored.diastolic === candidate.diastolic
  );
}

function receiptOf(v: VitalSign, replayed: boolean): Receipt {
  return {
    id: v.readingId,
    patientId: v.patientId,
    custodianMspId: v.custodianMspId,
    at: v.recordedAt,
    by: v.recordedBy,
    txId: v.txId,
    replayed,
    deviceId: v.deviceId,
    news2Score: v.news2Score,
    flag: v.flag,
  };
}

/**
 * A nurse or doctor who names the device a reading came from names one of the custodian's devices,
 * bound to that patient: the registry decides what a reading is attributed to, not the caller.
 * @throws ChaincodeError NOT_FOUND for a device the custodian has not registered, PRECONDITION_FAILED
 *   for one bound to no patient or another.
 */
async function checkAttribution(
  ctx: Context,
  custodian: string,
  deviceId: string,
  patientId: string,
  seen: Map<string, Device | undefined>,
): Promise<void> {
  if (!seen.has(deviceId))
    seen.set(deviceId, await readPrivate<Device>(ctx, custodian, privateKeys.device(deviceId)));
  const device = seen.get(deviceId);
  if (device === undefined) {
    throw new ChaincodeError('NOT_FOUND', `device ${deviceId} is not registered at ${custodian}`);
  }
  if (device.patientId !== patientId) {
    throw new ChaincodeError(
      'PRECONDITION_FAILED',
      `device ${deviceId} is not bound to patient ${patientId}`,
    );
  }
}

/**
 * Record readings in one transaction, in the custodian's (the caller's own hospital's)
 * implicit collection. A reading id already stored with the same content is a replay: it is
 * answered with the stored reading's receipt and nothing is written. The same id with other
 * content is a conflict. Abnormal and critical readings raise one `VitalAbnormal` event that
 * names them by id and score only.
 * @throws ChaincodeError INVALID_ARGUMENT, NOT_FOUND, ACCESS_DENIED, CONFLICT; nothing is written then.
 */
export async function recordReadings(
  ctx: Context,
  caller: Caller,
  inputs: readonly ReadingInput[],
): Promise<Receipt[]> {
  const { receipts, alerts } = await storeReadings(ctx, caller, inputs);
  emitAlerts(ctx, alerts);
  return receipts;
}

/** One `VitalAbnormal` event for the transaction (Fabric keeps only the last event a transaction sets). */
export function emitAlerts(ctx: Context, alerts: readonly VitalAlert[]): void {
  if (alerts.length > 0) ctx.stub.setEvent(EventName.VitalAbnormal, marshal({ alerts }));
}

/** `recordReadings` without the event: the readings' receipts and the alerts they raise. */
export async function storeReadings(
  ctx: Context,
  caller: Caller,
  inputs: readonly ReadingInput[],
): Promise<{ receipts: Receipt[]; alerts: VitalAlert[] }> {
  const ids = new Set<string>();
  const now = txTime(ctx);
  inputs.forEach((input, i) => {
    if (ids.has(input.readingId)) {
      throw new ChaincodeError(
        'INVALID_ARGUMENT',
        `readings.${i}.readingId: ${input.readingId} appears twice in the batch`,
      );
    }
    ids.add(input.readingId);
    classifyReading(input, now, inputs.length === 1 ? 'reading' : `readings.${i}`);
  });
  const custodian = caller.mspId;
  const callerDevice =
    caller.role === 'device' && caller.deviceId !== undefined
      ? await readPrivate<Device>(ctx, custodian, privateKeys.device(caller.deviceId))
      : undefined;
  const authorized = new Set<string>();
  const devices = new Map<string, Device | undefined>();
  const receipts: Receipt[] = [];
  const alerts: VitalAlert[] = [];
  const base = {
    custodianMspId: custodian,
    at: now.toISOString(),
    by: actorOf(caller),
    txId: ctx.stub.getTxID(),
  };
  for (const input of inputs) {
    if (caller.role === 'device' && input.deviceId !== undefined && input.deviceId !== caller.deviceId) {
      throw new ChaincodeError(
        'ACCESS_DENIED',
        `device ${caller.deviceId ?? '?'} may not record for device ${input.deviceId}`,
      );
    }
    const deviceId = caller.role === 'device' ? caller.deviceId : input.deviceId;
    if (!authorized.has(input.patientId)) {
      await authorize(
        ctx,
        caller,
        'recordVitals',
        { custodianMspId: custodian, patientId: input.patientId },
        { deviceBound: callerDevice?.patientId === input.patientId },
      );
      authorized.add(input.patientId);
    }
    if (caller.role !== 'device' && deviceId !== undefined) {
      await checkAttribution(ctx, custodian, deviceId, input.patientId, devices);
    }
    const vital = vitalSignOf(input, { ...base, id: input.readingId, deviceId, replayed: false });
    const index = await readPrivate<ReadingIndex>(ctx, custodian, privateKeys.readingIndex(input.readingId));
    if (index) {
      const stored = await readPrivate<VitalSign>(ctx, custodian, index.key);
      if (!stored || !sameReading(stored, vital)) {
        throw new ChaincodeError(
          'CONFLICT',
          `reading ${input.readingId} already exists with different content`,
        );
      }
      receipts.push(receiptOf(stored, true));
      continue;
    }
    const key = privateKeys.vital(vital.patientId, vital.observedAt, vital.readingId);
    await putPrivate(ctx, custodian, key, vital);
    const entry: ReadingIndex = { patientId: vital.patientId, key };
    await putPrivate(ctx, custodian, privateKeys.readingIndex(vital.readingId), entry);
    if (raisesAlert(vital.flag)) {
      const { patientId, custodianMspId, readingId, news2Score, flag } = vital;
      alerts.push({ patientId, custodianMspId, readingId, news2Score, flag });
    }
    receipts.push(receiptOf(vital, false));
  }
  return { receipts, alerts };
}
