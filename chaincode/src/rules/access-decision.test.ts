import { decideAccess, relationOf } from './access-decision';
import { findConsent, type ConsentState, type ConsentTerms } from './consent-rules';
import {
  type Action,
  actions,
  type ConsentScope,
  permissionMatrix,
  type Relation,
  relations,
  type Role,
  rolesByOrgType,
} from '@careledger/contract';
import { expectedCondition, expectedGrants } from '../testing/expected-permissions';

const rolesOfRelation: Record<Relation, readonly Role[]> = {
  custodian: rolesByOrgType.hospital.filter((r) => r !== 'patient'),
  otherHospital: rolesByOrgType.hospital.filter((r) => r !== 'patient'),
  lab: rolesByOrgType.lab,
  pharmacy: rolesByOrgType.pharmacy,
  patient: ['patient'],
};

const at = new Date('2026-06-01T12:00:00Z');
function consentIn(state: ConsentState, scope: ConsentScope, grantee: string): ConsentTerms[] {
  const base: ConsentTerms = {
    consentId: 'c1',
    granteeMspId: grantee,
    scopes: [scope],
    validFrom: '2026-01-01T00:00:00.000Z',
    validUntil: '2027-01-01T00:00:00.000Z',
    status: 'active',
  };
  switch (state) {
    case 'none':
      return [];
    case 'active':
      return [base];
    case 'expired':
      return [{ ...base, validUntil: '2026-05-01T00:00:00.000Z' }];
    case 'revoked':
      return [{ ...base, status: 'revoked' }];
    case 'otherScope':
      return [{ ...base, scopes: [scope === 'vitals' ? 'prescriptions' : 'vitals'] }];
    case 'notYetValid':
      return [{ ...base, validFrom: '2026-07-01T00:00:00.000Z' }];
  }
}

describe('decideAccess', () => {
  const consentStates: ConsentState[] = ['none', 'active', 'expired', 'revoked', 'otherScope', 'notYetValid'];
  const rows: [Action, Relation, Role, ConsentState, boolean][] = [];
  for (const action of actions)
    for (const relation of relations)
      for (const role of rolesOfRelation[relation])
        for (const state of consentStates)
          for (const ownership of [true, false]) rows.push([action, relation, role, state, ownership]);

  it.each(rows)('%s by %s %s, consent %s, own/bound %p', (action, relation, role, state, ownership) => {
    const scope = permissionMatrix[action].scope ?? 'vitals';
    const consent = findConsent(consentIn(state, scope, 'OtherMSP'), { mspId: 'OtherMSP', role }, scope, at);
    const decision = decideAccess({
      action,
      relation,
      role,
      isOwnPatient: ownership,
      deviceBound: ownership,
      ownRecords: ownership,
      consent,
    });
    const condition = expectedCondition(action, relation, role);
    const shouldAllow =
      condition === 'always' ||
      (condition === 'consent' && state === 'active') ||
      (condition !== undefined && condition !== 'consent' && ownership);
    expect(decision.allowed).toBe(shouldAllow);
    if (!decision.allowed) {
      expect(decision.code).toBe(condition === 'consent' ? 'CONSENT_REQUIRED' : 'ACCESS_DENIED');
      expect(decision.reason.length).toBeGreaterThan(10);
    } else if (condition === 'consent') {
      expect(decision.consentId).toBe('c1');
    }
  });

  it('knows every line of the expected matrix (no typo hides a permission)', () => {
    for (const [action, relation, role] of expectedGrants()) {
      expect(actions).toContain(action);
      expect(rolesOfRelation[relation]).toContain(role);
    }
  });
});

describe('relationOf', () => {
  it('tells custodian, other hospital, lab, pharmacy and patient apart', () => {
    expect(relationOf({ mspId: 'A', orgType: 'hospital', role: 'doctor' }, 'A')).toBe('custodian');
    expect(relationOf({ mspId: 'B', orgType: 'hospital', role: 'doctor' }, 'A')).toBe('otherHospital');
    expect(relationOf({ mspId: 'L', orgType: 'lab', role: 'technician' }, 'A')).toBe('lab');
    expect(relationOf({ mspId: 'P', orgType: 'pharmacy', role: 'pharmacist' }, 'A')).toBe('pharmacy');
    expect(relationOf({ mspId: 'A', orgType: 'hospital', role: 'patient' }, 'A')).toBe('patient');
  });
});

describe('findConsent', () => {
  const consent: ConsentTerms = {
    consentId: 'c9',
    granteeMspId: 'HospitalBMSP',
    granteeRole: 'doctor',
    scopes: ['vitals'],
    validFrom: '2026-01-01T00:00:00.000Z',
    validUntil: '2026-12-31T00:00:00.000Z',
    status: 'active',
  };
  it('honours the role restriction of a consent', () => {
    expect(findConsent([consent], { mspId: 'HospitalBMSP', role: 'doctor' }, 'vitals', at).state).toBe(
      'active',
    );
    expect(findConsent([consent], { mspId: 'HospitalBMSP', role: 'nurse' }, 'vitals', at).state).toBe('none');
  });
  it('ignores consents to other organisations', () => {
    expect(findConsent([consent], { mspId: 'LabMSP', role: 'doctor' }, 'vitals', at).state).toBe('none');
  });
  it('expires exactly at validUntil', () => {
    expect(
      findConsent(
        [consent],
        { mspId: 'HospitalBMSP', role: 'doctor' },
        'vitals',
        new Date(consent.validUntil),
      ).state,
    ).toBe('expired');
  });
  it('prefers an active consent over a revoked one', () => {
    const revoked = { ...consent, consentId: 'old', status: 'revoked' as const };
    const found = findConsent([revoked, consent], { mspId: 'HospitalBMSP', role: 'doctor' }, 'vitals', at);
    expect(found).toEqual({ state: 'active', consent });
  });
});
