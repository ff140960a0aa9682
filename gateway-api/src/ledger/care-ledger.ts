import {
  DEMOGRAPHICS_TRANSIENT_KEY,
  type AccessLogEntry,
  type Consent,
  type ConsentGrantInput,
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
  type Prescription,
  type PrescriptionInput,
  type PrescriptionVersion,
  type ReadingInput,
  type RecordResult,
  type TransactionName,
  type VitalSign,
  type VitalsQueryInput,
} from '@careledger/chaincode';
import type { CallOptions, LedgerClient, Timings } from './ledger-client';

/** What a ledger call returns: the chaincode's answer, and where the transaction went. */
export interface LedgerAnswer<T> {
  /** The chaincode's result (for an asynchronous submit, the endorsed result). */
  readonly value: T;
  readonly transactionId?: string;
  readonly blockNumber?: bigint;
  /** Submitted asynchronously: ordered, commit not awaited. */
  readonly pending?: boolean;
  readonly timings: Timings;
}

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
  get: LedgerCall<[patientId: string], Patient>;
  custodianOf: LedgerCall<[patientId: string], string>;
  list: LedgerCall<[page: PageRequest], Page<Patient>>;
  readDemographics: LedgerCall<[patientId: string], Demographics>;
}
export interface DevicesLedger {
  register: LedgerCall<[device: DeviceInput], Device>;
  bind: LedgerCall<[deviceId: string, patientId: string], Device>;
  get: LedgerCall<[deviceId: string], Device>;
}
export interface VitalsLedger {
  record: LedgerCall<[reading: ReadingInput], RecordResult>;
  recordBatch: LedgerCall<[readings: readonly ReadingInput[]], RecordResult[]>;
  get: LedgerCall<[patientId: string, readingId: string], VitalSign>;
  query: LedgerCall<[query: VitalsQueryInput], Page<VitalSign>>;
}
export interface ConsentsLedger {
  grant: LedgerCall<[consent: ConsentGrantInput], Consent>;
  revoke: LedgerCall<[patientId: string, consentId: string], Consent>;
  list: LedgerCall<[patientId: string, page: PageRequest], Page<Consent>>;
  history: LedgerCall<[patientId: string, consentId: string], ConsentVersion[]>;
}
export interface LabResultsLedger {
  record: LedgerCall<[result: LabResultInput], LabResult>;
  query: LedgerCall<[patientId: string, page: PageRequest], Page<LabResult>>;
}
export interface PrescriptionsLedger {
  prescribe: LedgerCall<[prescription: PrescriptionInput], Prescription>;
  query: LedgerCall<[patientId: string, page: PageRequest], Page<Prescription>>;
  dispense: LedgerCall<[dispensation: DispensationInput], Dispensation>;
  history: LedgerCall<[patientId: string, prescriptionId: string], PrescriptionVersion[]>;
}
export interface AccessLogLedger {
  list: LedgerCall<[patientId: string, page: PageRequest], Page<AccessLogEntry>>;
}

/** CareLedger's contracts as typed functions; routes call these, never transaction names. */
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

/** A payload as JSON, or as text when it is not JSON (e.g. `custodianOf`'s MSP ID). */
export function decodePayload(payload: Uint8Array): unknown {
  const text = Buffer.from(payload).toString('utf8');
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const json = (value: unknown) => JSON.stringify(value);
const page = (p: PageRequest) => [p.pageSize === undefined ? '' : String(p.pageSize), p.bookmark ?? ''];

/** The typed facade over a LedgerClient (Fabric, or a fake in tests). */
export function newCareLedger(ledger: LedgerClient): CareLedger {
  const call =
    <I extends unknown[], O>(
      transaction: TransactionName,
      args: (...input: I) => string[],
      transient?: (...input: I) => Record<string, string>,
    ): LedgerCall<I, O> =>
    async (options, ...input) => {
      const result = await ledger.call({
        ...options,
        transaction,
        args: args(...input),
        transient: transient?.(...input),
      });
      return {
        value: decodePayload(result.payload) as O,
        transactionId: result.transactionId,
        blockNumber: result.blockNumber,
        pending: result.pending,
        timings: result.timings,
      };
    };
  return {
    organizations: {
      list: call('Organizations:list', () => []),
      get: call('Organizations:get', (mspId) => [mspId]),
      upsert: call('Organizations:upsert', (organization) => [json(organization)]),
    },
    patients: {
      register: call<[string, DemographicsInput], Patient>(
        'Patients:register',
        (patientId) => [patientId],
        (_patientId, demographics) => ({ [DEMOGRAPHICS_TRANSIENT_KEY]: json(demographics) }),
      ),
      get: call('Patients:get', (patientId) => [patientId]),
      custodianOf: call('Patients:custodianOf', (patientId) => [patientId]),
      list: call('Patients:list', (p) => page(p)),
      readDemographics: call('Patients:readDemographics', (patientId) => [patientId]),
    },
    devices: {
      register: call('Devices:register', (device) => [json(device)]),
      bind: call('Devices:bind', (deviceId, patientId) => [deviceId, patientId]),
      get: call('Devices:get', (deviceId) => [deviceId]),
    },
    vitals: {
      record: call('Vitals:record', (reading) => [json(reading)]),
      recordBatch: call('Vitals:recordBatch', (readings) => [json(readings)]),
      get: call('Vitals:get', (patientId, readingId) => [patientId, readingId]),
      query: call('Vitals:query', (query) => [json(query)]),
    },
    consents: {
      grant: call('Consents:grant', (consent) => [json(consent)]),
      revoke: call('Consents:revoke', (patientId, consentId) => [patientId, consentId]),
      list: call('Consents:list', (patientId, p) => [patientId, ...page(p)]),
      history: call('Consents:history', (patientId, consentId) => [patientId, consentId]),
    },
    labResults: {
      record: call('LabResults:record', (result) => [json(result)]),
      query: call('LabResults:query', (patientId, p) => [patientId, ...page(p)]),
    },
    prescriptions: {
      prescribe: call('Prescriptions:prescribe', (prescription) => [json(prescription)]),
      query: call('Prescriptions:query', (patientId, p) => [patientId, ...page(p)]),
      dispense: call('Prescriptions:dispense', (dispensation) => [json(dispensation)]),
      history: call('Prescriptions:history', (patientId, prescriptionId) => [patientId, prescriptionId]),
    },
    accessLog: {
      list: call('AccessLog:list', (patientId, p) => [patientId, ...page(p)]),
    },
  };
}
