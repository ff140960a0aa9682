import type { ConsentScope, Role } from './input-schemas';

/**
 * THE permission matrix: action × caller relation × role → condition.
 * Relations: the custodian hospital of the patient, another hospital, a lab, a pharmacy, or
 * the patient themself. A missing cell means "never".
 */
export const actions = [
  'registerPatient',
  'readPatient',
  'readDemographics',
  'registerDevice',
  'bindDevice',
  'recordVitals',
  'readVitals',
  'acknowledgeAlert',
  'recordLabResult',
  'readLabResults',
  'prescribe',
  'readPrescriptions',
  'dispense',
  'manageConsent',
  'readConsents',
  'readAccessLog',
] as const;
export type Action = (typeof actions)[number];

export const relations = ['custodian', 'otherHospital', 'lab', 'pharmacy', 'patient'] as const;
export type Relation = (typeof relations)[number];

/**
 * always: the role is enough; consent: an active consent of the action's scope;
 * own: the patient's own records; boundDevice: a device bound to this patient;
 * ownRecords: records the caller's own organisation wrote.
 */
export type Condition = 'always' | 'consent' | 'own' | 'boundDevice' | 'ownRecords';

export interface Grant {
  readonly roles: readonly Role[];
  readonly when: Condition;
}

export interface ActionRule {
  /** The consent scope the action is about, if consent can open it. */
  readonly scope?: ConsentScope;
  readonly grants: Readonly<Partial<Record<Relation, readonly Grant[]>>>;
}

const staff: readonly Role[] = ['admin', 'doctor', 'nurse'];
const clinicians: readonly Role[] = ['doctor', 'nurse'];
const own: Grant = { roles: ['patient'], when: 'own' };

export const permissionMatrix: Readonly<Record<Action, ActionRule>> = {
  registerPatient: { grants: { custodian: [{ roles: staff, when: 'always' }] } },
  readPatient: { grants: { custodian: [{ roles: staff, when: 'always' }], patient: [own] } },
  readDemographics: {
    scope: 'demographics',
    grants: {
      custodian: [{ roles: staff, when: 'always' }],
      otherHospital: [{ roles: clinicians, when: 'consent' }],
      patient: [own],
    },
  },
  registerDevice: { grants: { custodian: [{ roles: ['admin', 'nurse'], when: 'always' }] } },
  bindDevice: { grants: { custodian: [{ roles: ['admin', 'nurse'], when: 'always' }] } },
  recordVitals: {
    grants: {
      custodian: [
        { roles: ['device'], when: 'boundDevice' },
        { roles: clinicians, when: 'always' },
      ],
    },
  },
  readVitals: {
    scope: 'vitals',
    grants: {
      custodian: [{ roles: clinicians, when: 'always' }],
      otherHospital: [{ roles: clinicians, when: 'consent' }],
      patient: [own],
    },
  },
  acknowledgeAlert: { grants: { custodian: [{ roles: clinicians, when: 'always' }] } },
  recordLabResult: { scope: 'labResults', grants: { lab: [{ roles: ['technician'], when: 'consent' }] } },
  readLabResults: {
    scope: 'labResults',
    grants: {
      custodian: [{ roles: ['doctor'], when: 'always' }],
      otherHospital: [{ roles: ['doctor'], when: 'consent' }],
      lab: [{ roles: ['technician'], when: 'ownRecords' }],
      patient: [own],
    },
  },
  prescribe: { grants: { custodian: [{ roles: ['doctor'], when: 'always' }] } },
  readPrescriptions: {
    scope: 'prescriptions',
    grants: {
      custodian: [{ roles: ['doctor'], when: 'always' }],
      pharmacy: [{ roles: ['pharmacist'], when: 'consent' }],
      patient: [own],
    },
  },
  dispense: { scope: 'prescriptions', grants: { pharmacy: [{ roles: ['pharmacist'], when: 'consent' }] } },
  manageConsent: { grants: { custodian: [{ roles: ['admin'], when: 'always' }], patient: [own] } },
  readConsents: { grants: { custodian: [{ roles: ['admin'], when: 'always' }], patient: [own] } },
  readAccessLog: { grants: { custodian: [{ roles: ['admin'], when: 'always' }], patient: [own] } },
};
