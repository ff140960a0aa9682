import { Object as DataType, Property } from 'fabric-contract-api';
import { Actor } from './actor';

/** A read of a patient's data by an organisation other than the custodian (private to the custodian). */
@DataType()
export class AccessLogEntry {
  @Property('patientId', 'string') public patientId: string = '';
  @Property('custodianMspId', 'string') public custodianMspId: string = '';
  @Property('txId', 'string') public txId: string = '';
  @Property('at', 'string') public at: string = '';
  @Property('accessor', 'Actor') public accessor: Actor = new Actor();
  @Property('action', 'string') public action: string = '';
  @Property('scope', 'string') public scope: string = '';
  @Property('basis', 'string') public basis: string = '';
  @Property('consentId', 'string') public consentId?: string;
  /** Reads of `scope` by this accessor are answered until then (AccessLog:request). */
  @Property('validUntil', 'string') public validUntil?: string;
}
