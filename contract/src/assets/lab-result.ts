import { Object as DataType, Property } from 'fabric-contract-api';
import { Actor } from './actor';

/** An amount of money in an ISO 4217 currency. */
@DataType()
export class Money {
  @Property('amount', 'number') public amount: number = 0;
  @Property('currency', 'string') public currency: string = '';
}

/** A LOINC-coded laboratory result written by a lab under the patient's consent. */
@DataType()
export class LabResult {
  @Property('resultId', 'string') public resultId: string = '';
  @Property('patientId', 'string') public patientId: string = '';
  @Property('custodianMspId', 'string') public custodianMspId: string = '';
  @Property('labMspId', 'string') public labMspId: string = '';
  @Property('loinc', 'string') public loinc: string = '';
  @Property('display', 'string') public display?: string;
  /** A numeric result; a textual one (e.g. 'positive') is in valueText instead. */
  @Property('value', 'number') public value?: number;
  @Property('valueText', 'string') public valueText?: string;
  @Property('unit', 'string') public unit: string = '';
  @Property('price', 'Money') public price?: Money;
  @Property('observedAt', 'string') public observedAt: string = '';
  @Property('recordedAt', 'string') public recordedAt: string = '';
  @Property('recordedBy', 'Actor') public recordedBy: Actor = new Actor();
  @Property('consentId', 'string') public consentId: string = '';
}
