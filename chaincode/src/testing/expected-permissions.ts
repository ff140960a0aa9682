import type { Action, Condition, Relation, Role } from '@careledger/contract';

/**
 * The permission matrix (README) written out as "action relation role condition" lines, independently of the
 * declarative table the chaincode uses, so that tests compare the two.
 */
const expected = `
registerPatient custodian admin always | registerPatient custodian doctor always | registerPatient custodian nurse always
readPatient custodian admin always | readPatient custodian doctor always | readPatient custodian nurse always | readPatient patient patient own
readDemographics custodian admin always | readDemographics custodian doctor always | readDemographics custodian nurse always
readDemographics otherHospital doctor consent | readDemographics otherHospital nurse consent | readDemographics patient patient own
registerDevice custodian admin always | registerDevice custodian nurse always
bindDevice custodian admin always | bindDevice custodian nurse always
recordVitals custodian device boundDevice | recordVitals custodian nurse always | recordVitals custodian doctor always
readVitals custodian doctor always | readVitals custodian nurse always | readVitals otherHospital doctor consent
readVitals otherHospital nurse consent | readVitals patient patient own
acknowledgeAlert custodian doctor always | acknowledgeAlert custodian nurse always
recordLabResult lab technician consent
readLabResults custodian doctor always | readLabResults otherHospital doctor consent | readLabResults lab technician ownRecords
readLabResults patient patient own
prescribe custodian doctor always
readPrescriptions custodian doctor always | readPrescriptions pharmacy pharmacist consent | readPrescriptions patient patient own
dispense pharmacy pharmacist consent
manageConsent custodian admin always | manageConsent patient patient own
readConsents custodian admin always | readConsents patient patient own
readAccessLog custodian admin always | readAccessLog patient patient own
`;

const table: ReadonlyMap<string, Condition> = new Map(
  expected
    .split(/[|\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((line) => {
      const [action, relation, role, condition] = line.split(' ');
      return [`${action} ${relation} ${role}`, condition as Condition] as const;
    }),
);

/** The condition under which the permission matrix lets a role in a relation take an action; undefined = never. */
export function expectedCondition(action: Action, relation: Relation, role: Role): Condition | undefined {
  return table.get(`${action} ${relation} ${role}`);
}

/** Every (action, relation, role) the design allows in some condition. */
export function expectedGrants(): [Action, Relation, Role][] {
  return [...table.keys()].map((k) => k.split(' ') as [Action, Relation, Role]);
}
