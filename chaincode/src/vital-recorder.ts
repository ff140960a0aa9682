import type { Context } from 'fabric-contract-api';
import { authorize, requirePatient } from './access-guard';
import type { Device } from './assets/device';
import type { Patient } from './assets/patient';
import type { RecordResult, VitalSign } from './assets/vital-sign';
import { actorOf, txTime, type Caller } from './caller';
import { marshal } from './codec';
import { ChaincodeError } from './error-code';
import { keys } from './keys';
import { createAsset, readAsset } from './ledger/world-state';
import type { ReadingInput } from './rules/input-schemas';
import { raisesAlert } from './rules/news2';
import { EventName } from './wire-names';
import { classifyReading, type ClassifiedReading } from './rules/vital-validation';

interface ReadingIndex {
  readonly patientId: string;
  readonly key: string;
}

function sameReading(stored: VitalSign, reading: ClassifiedReading, deviceId: string | undefined): boolean {
  const input = reading.input;
  return (
    stored.patientId === input.patientId &&
    stored.type === input.type &&
    stored.unit === input.unit &&
    stored.observedAt === reading.observedAt &&
    stored.deviceId === deviceId &&
    (input.type === 'bloodPressure'
      ? stored.systolic === input.systolic && stored.diastolic === input.diastolic
      : stored.value === input.value)
  );
}

function toVitalSign(
  ctx: Context,
  caller: Caller,
  patient: Patient,
  r: ClassifiedReading,
  deviceId?: string,
): VitalSign {
  const input = r.input;
  return {
    readingId: input.readingId,
    patientId: input.patientId,
    custodianMspId: patient.custodianMspId,
    deviceId,
    type: input.type,
    loinc: r.loinc,
    unit: input.unit,
    value: input.type === 'bloodPressure' ? undefined : input.value,
    systolic: input.type === 'bloodPressure' ? input.systolic : undefined,
    diastolic: input.type === 'bloodPressure' ? input.diastolic : undefined,
    observedAt: r.observedAt,
    recordedAt: txTime(ctx).toISOString(),
    recordedBy: actorOf(caller),
    txId: ctx.stub.getTxID(),
    news2Score: r.news2.score,
    direction: r.news2.direction,
    flag: r.flag,
  };
}

/**
 * Record readings in one transaction. A reading id already stored with the same content is a
 * replay: it is answered with the stored reading and nothing is written. The same id with other
 * content is a conflict. Abnormal and critical readings raise one `VitalAbnormal` event.
 * @throws ChaincodeError INVALID_ARGUMENT, NOT_FOUND, ACCESS_DENIED, CONFLICT; nothing is written then.
 */
export async function recordReadings(
  ctx: Context,
  caller: Caller,
  inputs: readonly ReadingInput[],
): Promise<RecordResult[]> {
  const ids = new Set<string>();
  const now = txTime(ctx);
  const classified = inputs.map((input, i) => {
    if (ids.has(input.readingId)) {
      throw new ChaincodeError(
        'INVALID_ARGUMENT',
        `readings.${i}.readingId: ${input.readingId} appears twice in the batch`,
      );
    }
    ids.add(input.readingId);
    return classifyReading(input, now, inputs.length === 1 ? 'reading' : `readings.${i}`);
  });
  const callerDevice =
    caller.role === 'device' && caller.deviceId !== undefined
      ? await readAsset<Device>(ctx, keys.device(caller.deviceId))
      : undefined;
  const patients = new Map<string, Patient>();
  const results: RecordResult[] = [];
  const alerts: VitalSign[] = [];
  for (const reading of classified) {
    const input = reading.input;
    if (caller.role === 'device' && input.deviceId !== undefined && input.deviceId !== caller.deviceId) {
      throw new ChaincodeError(
        'ACCESS_DENIED',
        `device ${caller.deviceId ?? '?'} may not record for device ${input.deviceId}`,
      );
    }
    const deviceId = caller.role === 'device' ? caller.deviceId : input.deviceId;
    let patient = patients.get(input.patientId);
    if (!patient) {
      patient = await requirePatient(ctx, input.patientId);
      await authorize(ctx, caller, 'recordVitals', patient, {
        deviceBound:
          callerDevice?.patientId === patient.patientId && callerDevice.orgMspId === patient.custodianMspId,
      });
      patients.set(input.patientId, patient);
    }
    const index = await readAsset<ReadingIndex>(ctx, keys.readingIndex(input.readingId));
    if (index) {
      const stored = await readAsset<VitalSign>(ctx, index.key);
      if (!stored || !sameReading(stored, reading, deviceId)) {
        throw new ChaincodeError(
          'CONFLICT',
          `reading ${input.readingId} already exists with different content`,
        );
      }
      results.push({ reading: stored, replayed: true });
      continue;
    }
    const vital = toVitalSign(ctx, caller, patient, reading, deviceId);
    const key = keys.vital(vital.patientId, vital.observedAt, vital.readingId);
    await createAsset(ctx, key, vital, patient.custodianMspId);
    await createAsset(
      ctx,
      keys.readingIndex(vital.readingId),
      { patientId: vital.patientId, key },
      patient.custodianMspId,
    );
    if (raisesAlert(vital.flag)) alerts.push(vital);
    results.push({ reading: vital, replayed: false });
  }
  if (alerts.length > 0) ctx.stub.setEvent(EventName.VitalAbnormal, marshal({ alerts }));
  return results;
}
