import { Object as DataType, Property } from 'fabric-contract-api';
import type { VitalFlag } from '../rules/news2';
import { Actor } from './actor';

/**
 * What a submitted transaction answers. The answer of a submitted transaction is written into
 * the block on every member's peer, so it carries ids, times, actors and (for a reading) its
 * NEWS2 score and flag — never the record's content. The stored record is a pure function of
 * the input and this receipt (`rules/records.ts`), which is how a client that sent the input
 * shows what was stored.
 */
@DataType()
export class Receipt {
  /** The record's id: reading, result, prescription, dispensation, consent, device or access id. */
  @Property('id', 'string') public id: string = '';
  @Property('patientId', 'string') public patientId?: string;
  @Property('custodianMspId', 'string') public custodianMspId: string = '';
  /** When the record was written (for a replay: when it was first written). */
  @Property('at', 'string') public at: string = '';
  @Property('by', 'Actor') public by: Actor = new Actor();
  @Property('txId', 'string') public txId: string = '';
  /** The same record was already stored; nothing was written. */
  @Property('replayed', 'boolean') public replayed: boolean = false;
  @Property('status', 'string') public status?: string;
  @Property('deviceId', 'string') public deviceId?: string;
  @Property('consentId', 'string') public consentId?: string;
  @Property('news2Score', 'number') public news2Score?: number;
  @Property('flag', 'string') public flag?: VitalFlag;
  /** Until when an access-log entry opens reads (AccessLog:request). */
  @Property('validUntil', 'string') public validUntil?: string;
}
