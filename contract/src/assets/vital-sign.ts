import { Object as DataType, Property } from 'fabric-contract-api';
import type { Direction, VitalFlag } from '../rules/news2';
import type { VitalType } from '../rules/vital-definitions';
import { Actor } from './actor';

/** One stored vital-sign reading with its NEWS2 sub-score (private to the custodian). Immutable once written. */
@DataType()
export class VitalSign {
  @Property('readingId', 'string') public readingId: string = '';
  @Property('patientId', 'string') public patientId: string = '';
  @Property('custodianMspId', 'string') public custodianMspId: string = '';
  @Property('deviceId', 'string') public deviceId?: string;
  @Property('type', 'string') public type: VitalType = 'heartRate';
  @Property('loinc', 'string') public loinc: string = '';
  @Property('unit', 'string') public unit: string = '';
  @Property('value', 'number') public value?: number;
  @Property('systolic', 'number') public systolic?: number;
  @Property('diastolic', 'number') public diastolic?: number;
  @Property('observedAt', 'string') public observedAt: string = '';
  @Property('recordedAt', 'string') public recordedAt: string = '';
  @Property('recordedBy', 'Actor') public recordedBy: Actor = new Actor();
  @Property('txId', 'string') public txId: string = '';
  @Property('news2Score', 'number') public news2Score: number = 0;
  @Property('direction', 'string') public direction: Direction = 'none';
  @Property('flag', 'string') public flag: VitalFlag = 'normal';
}

/** The answer to recording a reading, as the gateway shows it: the stored reading, and whether this was a replay. */
export interface RecordResult {
  reading: VitalSign;
  replayed: boolean;
}
