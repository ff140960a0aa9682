import { Object as DataType, Property } from 'fabric-contract-api';

/**
 * A patient's public record: what routing and endorsement need, nothing identifying. The id is
 * pseudonymous and named within its custodian; demographics and every clinical record live in
 * the custodian's implicit private data collection.
 */
@DataType()
export class Patient {
  @Property('patientId', 'string') public patientId: string = '';
  @Property('custodianMspId', 'string') public custodianMspId: string = '';
  @Property('status', 'string') public status: string = 'active';
  @Property('createdAt', 'string') public createdAt: string = '';
}
