import { Object as DataType, Property } from 'fabric-contract-api';
import { Actor } from './actor';

/**
 * That a clinician of the custodian acknowledged an abnormal or critical reading's alert: who and
 * when (private to the custodian, beside the reading). The first acknowledgement stays.
 */
@DataType()
export class AlertAcknowledgement {
  @Property('readingId', 'string') public readingId: string = '';
  @Property('patientId', 'string') public patientId: string = '';
  @Property('custodianMspId', 'string') public custodianMspId: string = '';
  @Property('news2Score', 'number') public news2Score: number = 0;
  @Property('flag', 'string') public flag: 'abnormal' | 'critical' = 'abnormal';
  @Property('acknowledgedAt', 'string') public acknowledgedAt: string = '';
  @Property('acknowledgedBy', 'Actor') public acknowledgedBy: Actor = new Actor();
  @Property('txId', 'string') public txId: string = '';
}
