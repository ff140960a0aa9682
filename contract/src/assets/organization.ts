import { Object as DataType, Property } from 'fabric-contract-api';
import type { OrgType } from '../rules/input-schemas';

/** An organisation of the network: its MSP ID, type (rules are written per type) and name. */
@DataType()
export class Organization {
  @Property('mspId', 'string') public mspId: string = '';
  @Property('type', 'string') public type: OrgType = 'hospital';
  @Property('name', 'string') public name: string = '';
  @Property('updatedAt', 'string') public updatedAt: string = '';
  @Property('updatedBy', 'string') public updatedBy: string = '';
}
