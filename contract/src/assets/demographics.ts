import { Object as DataType, Property } from 'fabric-contract-api';

@DataType()
export class Contact {
  @Property('phone', 'string') public phone?: string;
  @Property('email', 'string') public email?: string;
  @Property('address', 'string') public address?: string;
}

@DataType()
export class Insurance {
  @Property('provider', 'string') public provider: string = '';
  @Property('policyNumber', 'string') public policyNumber: string = '';
}

@DataType()
export class EmergencyContact {
  @Property('name', 'string') public name: string = '';
  @Property('phone', 'string') public phone: string = '';
  @Property('relationship', 'string') public relationship?: string;
}

/** Direct identifiers of a patient; stored only in the custodian's implicit private collection. */
@DataType()
export class Demographics {
  @Property('name', 'string') public name: string = '';
  @Property('birthDate', 'string') public birthDate: string = '';
  @Property('sex', 'string') public sex: string = '';
  @Property('contact', 'Contact') public contact?: Contact;
  @Property('insurance', 'Insurance') public insurance?: Insurance;
  @Property('emergencyContact', 'EmergencyContact') public emergencyContact?: EmergencyContact;
  @Property('allergies', 'string[]') public allergies?: string[];
}
