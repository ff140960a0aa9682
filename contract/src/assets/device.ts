import { Object as DataType, Property } from 'fabric-contract-api';

/** A sensor or device hub of a hospital, optionally bound to one patient. */
@DataType()
export class Device {
  @Property('deviceId', 'string') public deviceId: string = '';
  @Property('type', 'string') public type: string = '';
  @Property('orgMspId', 'string') public orgMspId: string = '';
  @Property('patientId', 'string') public patientId?: string;
  @Property('boundAt', 'string') public boundAt?: string;
  @Property('registeredAt', 'string') public registeredAt: string = '';
}
