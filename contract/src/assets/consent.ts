import { Object as DataType, Property } from 'fabric-contract-api';
import type { ConsentScope } from '../rules/input-schemas';
import { Actor } from './actor';

export type ConsentStatus = 'active' | 'revoked';

/** A patient's consent for an organisation (optionally one role) to access some scopes. */
@DataType()
export class Consent {
  @Property('consentId', 'string') public consentId: string = '';
  @Property('patientId', 'string') public patientId: string = '';
  @Property('custodianMspId', 'string') public custodianMspId: string = '';
  @Property('granteeMspId', 'string') public granteeMspId: string = '';
  @Property('granteeRole', 'string') public granteeRole?: string;
  @Property('scopes', 'string[]') public scopes: ConsentScope[] = [];
  @Property('purpose', 'string') public purpose: string = '';
  @Property('validFrom', 'string') public validFrom: string = '';
  @Property('validUntil', 'string') public validUntil: string = '';
  @Property('status', 'string') public status: ConsentStatus = 'active';
  /** 'patient' when the patient acted, 'custodianAdmin' when an admin acted on the patient's behalf. */
  @Property('grantedBy', 'Actor') public grantedBy: Actor = new Actor();
  @Property('onBehalfOfPatient', 'boolean') public onBehalfOfPatient: boolean = false;
  @Property('grantedAt', 'string') public grantedAt: string = '';
  @Property('revokedAt', 'string') public revokedAt?: string;
  @Property('revokedBy', 'Actor') public revokedBy?: Actor;
  @Property('revokedTxId', 'string') public revokedTxId?: string;
}
