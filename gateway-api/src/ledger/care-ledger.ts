import {
  acknowledgementOf,
  ChaincodeError,
  classifyReading,
  consentOf,
  parseSignedPayload,
  deviceOf,
  dispensationOf,
  labResultOf,
  prescriptionOf,
  TransientKey,
  vitalSignOf,
  type AccessLogEntry,
  type AlertAcknowledgement,
  type Consent,
  type ConsentGrantInput,
  type ConsentScope,
  type ConsentVersion,
  type Demographics,
  type DemographicsInput,
  type Device,
  type DeviceInput,
  type Dispensation,
  type DispensationInput,
  type LabResult,
  type LabResultInput,
  type Organization,
  type OrganizationInput,
  type Page,
  type Patient,
  type PatientRef,
  type Prescription,
  type PrescriptionInput,
  type PrescriptionVersion,
  type ReadingInput,
  type ReadingOutcome,
  type Receipt,
  type RecordResult,
  type SignedReading,
  type VitalSign,
  type VitalsQueryInput,
} from '@careledger/contract';
import { ApiError } from '../errors/error-catalog';
import { addTimings, invoke, withValue, type Invocation, type LedgerAnswer } from './ledger-call';
import type { CallOptions, LedgerClient } from './ledger-client';
import { loggedRead } from './logged-read';
import { SignedReadingBatcher, type BatchingOptions } from './signed-reading-batcher';

export { decodePayload, type LedgerAnswer } from './ledger-call';

export interface PageRequest {
  readonly pageSize?: number;
  readonly bookmark?: string;
}

/** One transaction as a typed function: who calls and how, then the transaction's inputs. */
export type LedgerCall<I extends unknown[], O> = (
  options: CallOptions,
  ...input: I
) => Promise<LedgerAnswer<O>>;

export interface OrganizationsLedger {
  list: LedgerCall<[], Organization[]>;
  get: LedgerCall<[mspId: string], Organization>;
  upsert: LedgerCall<[organization: OrganizationInput], Organization>;
}
export interface PatientsLedger {
  /** Demographics travel as transient data: never in the transaction, never logged. */
  register: LedgerCall<[patientId: string, demographics: DemographicsInput], Patient>;
  get: LedgerCall<[ref: PatientRef], Patient>;
  list: LedgerCall<[page: PageRequest], Page<Patient>>;
  readDemographics: LedgerCall<[ref: PatientRef], Demographics>;
}
export interface DevicesLedger {
  register: LedgerCall<[device: DeviceInput], Device>;
  bind: LedgerCall<[deviceId: string, patientId: string], Device>;
  get: LedgerCall<[deviceId: string], Device>;
  /** The calling device enrols its certificate's key for its signed readings. */
  enrollKey: LedgerCall<[], Receipt>;
}
export interface VitalsLedger {
  record: LedgerCall<[reading: ReadingInput], RecordResult>;
  recordBatch: LedgerCall<[readings: readonly ReadingInput[]], RecordResult[]>;
  /** One reading signed by its device, sent in a transaction shared with other devices' readings. */
  recordSigned: LedgerCall<[signed: SignedReading], RecordResult>;
  get: LedgerCall<[ref: PatientRef, readingId: string], VitalSign>;
  query: LedgerCall<[query: VitalsQueryInput], Page<VitalSign>>;
  /** A nurse or doctor acknowledges an alert of the caller's own hospital; the first acknowledgement stays. */
  acknowledge: LedgerCall<[patientId: string, readingId: string], AlertAcknowledgement>;
  getAcknowledgement: LedgerCall<[ref: PatientRef, readingId: string], AlertAcknowledgement>;
}
export interface ConsentsLedger {
  grant: LedgerCall<[consent: ConsentGrantInput], Consent>;
  revoke: LedgerCall<[patientId: string, consentId: string], Consent>;
  get: LedgerCall<[patientId: string, consentId: string], Consent>;
  list: LedgerCall<[patientId: string, page: PageRequest], Page<Consent>>;
  history: LedgerCall<[patientId: string, consentId: string], ConsentVersion[]>;
}
export interface LabResultsLedger {
  record: LedgerCall<[result: LabResultInput], LabResult>;
  query: LedgerCall<[ref: PatientRef, page: PageRequest], Page<LabResult>>;
}
export interface PrescriptionsLedger {
  prescribe: LedgerCall<[prescription: PrescriptionInput], Prescription>;
  query: LedgerCall<[ref: PatientRef, page: PageRequest], Page<Prescription>>;
  dispense: LedgerCall<[dispensation: DispensationInput], Dispensation>;
  history: LedgerCall<[ref: PatientRef, prescriptionId: string], PrescriptionVersion[]>;
}
export interface AccessLogLedger {
  /** Ask the custodian to log and open a read of one scope (what every cross-organisation read does first). */
  request: LedgerCall<[ref: PatientRef, scope: ConsentScope], Receipt>;
  list: LedgerCall<[patientId: string, page: PageRequest], Page<AccessLogEntry>>;
}

/**
 * CareLedger's contracts as typed functions; routes call these, never transaction names. Every
 * call that touches a patient's data is endorsed or evaluated by the custodian's peer alone.
 * Writes answer with a receipt (no patient data may be in a block); the record shown to the
 * caller is composed from its own input and the receipt, exactly as the chaincode stored it.
 */
export interface CareLedger {
  readonly organizations: OrganizationsLedger;
  readonly patients: PatientsLedger;
  readonly devices: DevicesLedger;
  readonly vitals: VitalsLedger;
  readonly consents: ConsentsLedger;
  readonly labResults: LabResultsLedger;
  readonly prescriptions: PrescriptionsLedger;
  readonly accessLog: AccessLogLedger;
}

const json = (value: unknown) => JSON.stringify(value);
const page = (p: PageRequest) => [p.pageSize === undefined ? '' : String(p.pageSize), p.bookmark ?? ''];
const own = (o: CallOptions) => [o.mspId];

/**
 * The reading a signed payload holds, refused here (400) for what the chaincode would refuse for
 * its content alone, before it takes a place in a shared transaction.
 */
function signedContent(signed: SignedReading): ReadingInput {
  try {
    const reading = parseSignedPayload(signed.payload, 'body');
    classifyReading(reading, new Date(), 'body.payload');
    return reading;
  } catch (err) {
    if (err instanceof ChaincodeError) throw new ApiError('INVALID_ARGUMENT', err.detail);
    throw err;
  }
}

/** One reading's outcome of a shared transaction, as the answer of its own request. */
function outcomeAnswer(
  reading: ReadingInput,
  answer: LedgerAnswer<ReadingOutcome>,
): LedgerAnswer<RecordResult> {
  const { error, receipt } = answer.value;
  // The chaincode names the reading by its place in the shared transaction; the caller sent one body.
  if (error !== undefined)
    throw new ApiError(error.code as ApiError['code'], error.message.replace(/^signedReadings\.\d+/, 'body'));
  if (receipt === undefined)
    throw new ApiError('INTERNAL', 'the ledger answered a reading without its receipt');
  const value = { reading: vitalSignOf(reading, receipt), replayed: receipt.replayed };
  // A replay wrote nothing: no transaction of its own, even when others of the batch had one.
  if (receipt.replayed) return { value, alreadyOnLedger: true, timings: answer.timings };
  return { ...answer, value };
}

/**
 * Signed readings per shared transaction and transactions in flight. The chaincode handles a
 * transaction's readings one after the other, each a few round trips to its peer, so a shared
 * transaction takes time in proportion to its readings and throughput grows with the
 * transactions in flight more than with their size (measured on the embedded network, 2 cores:
 * about 350 readings/s whichever); 8 of at most 50 keep a reading's time in flight near half a
 * second at that rate.
 */
export const defaultSignedBatching: BatchingOptions = {
  maxBatch: 50,
  maxInFlight: 8,
  maxWaitMs: 250,
  maxWaiting: 20_000,
};

/** The typed facade over a LedgerClient (Fabric, or a fake in tests). */
export function newCareLedger(
  ledger: LedgerClient,
  batching: BatchingOptions = defaultSignedBatching,
): CareLedger {
  const signedReadings = new SignedReadingBatcher(ledger, batching);
  const run = <T>(o: CallOptions, invocation: Invocation) => invoke<T>(ledger, o, invocation);
  /** A write whose answer is a receipt, shown as the record `compose` builds from it. */
  const write = async <O>(
    o: CallOptions,
    invocation: Invocation,
    compose: (receipt: Receipt) => O,
  ): Promise<LedgerAnswer<O>> => {
    const answer = await run<Receipt>(o, invocation);
    return withValue(answer, compose(answer.value));
  };
  /** A write, then the record as the custodian now holds it (unless the commit is not awaited). */
  const writeThenRead = async <O>(o: CallOptions, invocation: Invocation, read: Invocation) => {
    const written = await run<Receipt>(o, invocation);
    if (written.pending) return withValue(written, undefined as unknown as O);
    const current = await run<O>(o, read);
    return { ...written, value: current.value, timings: addTimings(written.timings, current.timings) };
  };
  const at = (ref: PatientRef) => [ref.custodianMspId];
  return {
    organizations: {
      list: (o) => run(o, { transaction: 'Organizations:list' }),
      get: (o, mspId) => run(o, { transaction: 'Organizations:get', args: [mspId] }),
      upsert: (o, organization) =>
        run(o, { transaction: 'Organizations:upsert', args: [json(organization)] }),
    },
    patients: {
      register: (o, patientId, demographics) =>
        run(o, {
          transaction: 'Patients:register',
          args: [patientId],
          transient: { [TransientKey.demographics]: json(demographics) },
          endorsingOrganizations: own(o),
        }),
      get: (o, ref) =>
        run(o, {
          transaction: 'Patients:get',
          args: [ref.custodianMspId, ref.patientId],
          endorsingOrganizations: at(ref),
        }),
      list: (o, p) => run(o, { transaction: 'Patients:list', args: page(p) }),
      readDemographics: (o, ref) =>
        loggedRead(ledger, o, ref, 'demographics', {
          transaction: 'Patients:readDemographics',
          args: [ref.custodianMspId, ref.patientId],
        }),
    },
    devices: {
      register: (o, device) =>
        write(
          o,
          {
            transaction: 'Devices:register',
            transient: { [TransientKey.device]: json(device) },
            endorsingOrganizations: own(o),
          },
          (receipt) => deviceOf(device, receipt),
        ),
      bind: (o, deviceId, patientId) =>
        writeThenRead(
          o,
          { transaction: 'Devices:bind', args: [deviceId, patientId], endorsingOrganizations: own(o) },
          { transaction: 'Devices:get', args: [deviceId], endorsingOrganizations: own(o) },
        ),
      get: (o, deviceId) =>
        run(o, { transaction: 'Devices:get', args: [deviceId], endorsingOrganizations: own(o) }),
      enrollKey: (o) =>
        run(o, {
          transaction: 'Devices:enrollKey',
          endorsingOrganizations: own(o),
          alreadyOnLedger: (receipt) => (receipt as Receipt | null)?.replayed === true,
        }),
    },
    vitals: {
      record: (o, reading) =>
        write(
          o,
          {
            transaction: 'Vitals:record',
            transient: { [TransientKey.reading]: json(reading) },
            endorsingOrganizations: own(o),
            alreadyOnLedger: (receipt) => (receipt as Receipt | null)?.replayed === true,
          },
          (receipt) => ({ reading: vitalSignOf(reading, receipt), replayed: receipt.replayed }),
        ),
      recordBatch: async (o, readings) => {
        const answer = await run<Receipt[]>(o, {
          transaction: 'Vitals:recordBatch',
          transient: { [TransientKey.readings]: json(readings) },
          endorsingOrganizations: own(o),
          alreadyOnLedger: (receipts) =>
            Array.isArray(receipts) && receipts.every((r) => (r as Receipt | null)?.replayed === true),
        });
        return withValue(
          answer,
          answer.value.map((receipt, i) => ({
            reading: vitalSignOf(readings[i] as ReadingInput, receipt),
            replayed: receipt.replayed,
          })),
        );
      },
      recordSigned: async (o, signed) => {
        const reading = signedContent(signed);
        return outcomeAnswer(reading, await signedReadings.record(o, reading.readingId, signed));
      },
      get: (o, ref, readingId) =>
        loggedRead(ledger, o, ref, 'vitals', {
          transaction: 'Vitals:get',
          args: [ref.custodianMspId, ref.patientId, readingId],
        }),
      query: (o, query) => {
        const ref = { custodianMspId: query.custodianMspId ?? o.mspId, patientId: query.patientId };
        return loggedRead(ledger, o, ref, 'vitals', {
          transaction: 'Vitals:query',
          args: [json({ ...query, custodianMspId: ref.custodianMspId })],
        });
      },
      acknowledge: (o, patientId, readingId) =>
        write(
          o,
          {
            transaction: 'Vitals:acknowledge',
            args: [patientId, readingId],
            endorsingOrganizations: own(o),
            alreadyOnLedger: (receipt) => (receipt as Receipt | null)?.replayed === true,
          },
          acknowledgementOf,
        ),
      getAcknowledgement: (o, ref, readingId) =>
        loggedRead(ledger, o, ref, 'vitals', {
          transaction: 'Vitals:getAcknowledgement',
          args: [ref.custodianMspId, ref.patientId, readingId],
        }),
    },
    consents: {
      grant: (o, consent) =>
        write(
          o,
          {
            transaction: 'Consents:grant',
            transient: { [TransientKey.consent]: json(consent) },
            endorsingOrganizations: own(o),
          },
          (receipt) => consentOf(consent, receipt),
        ),
      revoke: (o, patientId, consentId) =>
        writeThenRead(
          o,
          { transaction: 'Consents:revoke', args: [patientId, consentId], endorsingOrganizations: own(o) },
          { transaction: 'Consents:get', args: [patientId, consentId], endorsingOrganizations: own(o) },
        ),
      get: (o, patientId, consentId) =>
        run(o, { transaction: 'Consents:get', args: [patientId, consentId], endorsingOrganizations: own(o) }),
      list: (o, patientId, p) =>
        run(o, {
          transaction: 'Consents:list',
          args: [patientId, ...page(p)],
          endorsingOrganizations: own(o),
        }),
      history: (o, patientId, consentId) =>
        run(o, {
          transaction: 'Consents:history',
          args: [patientId, consentId],
          endorsingOrganizations: own(o),
        }),
    },
    labResults: {
      record: (o, result) =>
        write(
          o,
          {
            transaction: 'LabResults:record',
            transient: { [TransientKey.labResult]: json(result) },
            endorsingOrganizations: [result.custodianMspId],
          },
          (receipt) => labResultOf(result, receipt),
        ),
      query: (o, ref, p) =>
        loggedRead(ledger, o, ref, 'labResults', {
          transaction: 'LabResults:query',
          args: [ref.custodianMspId, ref.patientId, ...page(p)],
        }),
    },
    prescriptions: {
      prescribe: (o, prescription) =>
        write(
          o,
          {
            transaction: 'Prescriptions:prescribe',
            transient: { [TransientKey.prescription]: json(prescription) },
            endorsingOrganizations: own(o),
          },
          (receipt) => prescriptionOf(prescription, receipt),
        ),
      query: (o, ref, p) =>
        loggedRead(ledger, o, ref, 'prescriptions', {
          transaction: 'Prescriptions:query',
          args: [ref.custodianMspId, ref.patientId, ...page(p)],
        }),
      dispense: (o, dispensation) =>
        write(
          o,
          {
            transaction: 'Prescriptions:dispense',
            transient: { [TransientKey.dispensation]: json(dispensation) },
            endorsingOrganizations: [dispensation.custodianMspId],
          },
          (receipt) => dispensationOf(dispensation, receipt),
        ),
      history: (o, ref, prescriptionId) =>
        loggedRead(ledger, o, ref, 'prescriptions', {
          transaction: 'Prescriptions:history',
          args: [ref.custodianMspId, ref.patientId, prescriptionId],
        }),
    },
    accessLog: {
      request: (o, ref, scope) =>
        run(o, {
          transaction: 'AccessLog:request',
          args: [ref.custodianMspId, ref.patientId, scope],
          endorsingOrganizations: at(ref),
        }),
      list: (o, patientId, p) =>
        run(o, {
          transaction: 'AccessLog:list',
          args: [patientId, ...page(p)],
          endorsingOrganizations: own(o),
        }),
    },
  };
}
