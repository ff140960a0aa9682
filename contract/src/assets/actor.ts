import { Object as DataType, Property } from 'fabric-contract-api';

/** Who did something: organisation, role and the identity's ID (never a name). */
@DataType()
export class Actor {
  @Property('mspId', 'string') public mspId: string = '';
  @Property('role', 'string') public role: string = '';
  @Property('id', 'string') public id: string = '';
}
