import { Object as DataType, Property } from 'fabric-contract-api';
import { AccessLogEntry } from './access-log-entry';
import { Consent } from './consent';
import { LabResult } from './lab-result';
import { Patient } from './patient';
import { Prescription } from './prescription';
import { VitalSign } from './vital-sign';

/**
 * Pages of lists: the records, the bookmark of the next page ('' after the last page) and
 * how many records this page holds. One class per record type so the contract metadata
 * describes each list exactly.
 */
@DataType()
export class PatientPage {
  @Property('records', 'Patient[]') public records: Patient[] = [];
  @Property('bookmark', 'string') public bookmark: string = '';
  @Property('fetchedRecordsCount', 'number') public fetchedRecordsCount: number = 0;
}

@DataType()
export class VitalSignPage {
  @Property('records', 'VitalSign[]') public records: VitalSign[] = [];
  @Property('bookmark', 'string') public bookmark: string = '';
  @Property('fetchedRecordsCount', 'number') public fetchedRecordsCount: number = 0;
}

@DataType()
export class ConsentPage {
  @Property('records', 'Consent[]') public records: Consent[] = [];
  @Property('bookmark', 'string') public bookmark: string = '';
  @Property('fetchedRecordsCount', 'number') public fetchedRecordsCount: number = 0;
}

@DataType()
export class LabResultPage {
  @Property('records', 'LabResult[]') public records: LabResult[] = [];
  @Property('bookmark', 'string') public bookmark: string = '';
  @Property('fetchedRecordsCount', 'number') public fetchedRecordsCount: number = 0;
}

@DataType()
export class PrescriptionPage {
  @Property('records', 'Prescription[]') public records: Prescription[] = [];
  @Property('bookmark', 'string') public bookmark: string = '';
  @Property('fetchedRecordsCount', 'number') public fetchedRecordsCount: number = 0;
}

@DataType()
export class AccessLogPage {
  @Property('records', 'AccessLogEntry[]') public records: AccessLogEntry[] = [];
  @Property('bookmark', 'string') public bookmark: string = '';
  @Property('fetchedRecordsCount', 'number') public fetchedRecordsCount: number = 0;
}

/** One past version of a consent, newest first. */
@DataType()
export class ConsentVersion {
  @Property('txId', 'string') public txId: string = '';
  @Property('timestamp', 'string') public timestamp: string = '';
  @Property('isDelete', 'boolean') public isDelete: boolean = false;
  @Property('value', 'Consent') public value?: Consent;
}

/** One past version of a prescription, newest first. */
@DataType()
export class PrescriptionVersion {
  @Property('txId', 'string') public txId: string = '';
  @Property('timestamp', 'string') public timestamp: string = '';
  @Property('isDelete', 'boolean') public isDelete: boolean = false;
  @Property('value', 'Prescription') public value?: Prescription;
}
