import { Object as DataType, Property } from 'fabric-contract-api';
import { Actor } from './actor';

/**
 * A patient's public record: pseudonymous, no direct identifiers. The demographics live in
 * the custodian's implicit private data collection; only their SHA-256 is public.
 */
@DataType()
export class Patient {
  @Property('patientId', 'string') public patientId: string = '';
  @Property('custodianMspId', 'string') public custodianMspId: string = '';
  @Property('status', 'string') public status: string = 'active';
  @Property('demographicsHash', 'string') public demographicsHash: string = '';
  @Property('createdAt', 'string') public createdAt: string = '';
  @Property('createdBy', 'Actor') public createdBy: Actor = new Actor();
}
