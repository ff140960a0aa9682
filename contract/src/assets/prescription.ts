import { Object as DataType, Property } from 'fabric-contract-api';
import { Actor } from './actor';

/** An ATC-coded prescription by a custodian doctor; dispensations count against its quantity. */
@DataType()
export class Prescription {
  @Property('prescriptionId', 'string') public prescriptionId: string = '';
  @Property('patientId', 'string') public patientId: string = '';
  @Property('custodianMspId', 'string') public custodianMspId: string = '';
  @Property('atc', 'string') public atc: string = '';
  @Property('medication', 'string') public medication: string = '';
  @Property('dosage', 'string') public dosage: string = '';
  @Property('quantity', 'number') public quantity: number = 0;
  @Property('dispensedQuantity', 'number') public dispensedQuantity: number = 0;
  @Property('prescribedAt', 'string') public prescribedAt: string = '';
  @Property('prescribedBy', 'Actor') public prescribedBy: Actor = new Actor();
}

/** One handing-out of (part of) a prescription by a pharmacy. */
@DataType()
export class Dispensation {
  @Property('dispensationId', 'string') public dispensationId: string = '';
  @Property('prescriptionId', 'string') public prescriptionId: string = '';
  @Property('patientId', 'string') public patientId: string = '';
  @Property('custodianMspId', 'string') public custodianMspId: string = '';
  @Property('pharmacyMspId', 'string') public pharmacyMspId: string = '';
  @Property('quantity', 'number') public quantity: number = 0;
  @Property('dispensedAt', 'string') public dispensedAt: string = '';
  @Property('dispensedBy', 'Actor') public dispensedBy: Actor = new Actor();
  @Property('consentId', 'string') public consentId: string = '';
}
