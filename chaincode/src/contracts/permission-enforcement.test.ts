import type { Context } from 'fabric-contract-api';
import { ChaincodeError } from '../error-code';
import { consentScopes, roles, type ConsentScope, type Role } from '../rules/input-schemas';
import { actions, permissionMatrix, type Action, type Relation } from '../rules/permission-matrix';
import { rolesByOrgType } from '../rules/roles';
import { contractInstances } from '../testing/contract-instances';
import { expectedCondition } from '../testing/expected-permissions';
import { samplePrescription } from '../testing/sample-prescription';
import { demoCallers, identity, registry, TestNetwork, type TestIdentity } from '../testing/test-network';

// Every action × organisation (custodian hospital, other hospital, lab, pharmacy) × every role
// (also roles the organisation's type does not have) × consent state, through the contracts
// themselves, against the permission matrix as written out in testing/expected-permissions.ts.

const { orgs, patients, devices, vitals, consents, labs, rx, accessLog } = contractInstances;
const { adminA, patientA } = demoCallers;

const demographics = JSON.stringify({ name: 'Ada Example', birthDate: '1980-02-03', sex: 'female' });
const observedAt = '2026-11-22T09:00:00.000Z';

/** The transaction that performs each action on patient p-1 (custodian HospitalAMSP). */
const perform: Record<Action, (ctx: Context) => Promise<unknown>> = {
  registerPatient: (ctx) => patients.register(ctx, 'p-new'),
  readPatient: (ctx) => patients.get(ctx, 'p-1'),
  readDemographics: (ctx) => patients.readDemographics(ctx, 'p-1'),
  registerDevice: (ctx) =>
    devices.register(ctx, JSON.stringify({ deviceId: 'dev-new', type: 'thermometer' })),
  bindDevice: (ctx) => devices.bind(ctx, 'dev-2', 'p-1'),
  recordVitals: (ctx) =>
    vitals.record(
      ctx,
      JSON.stringify({
        readingId: 'r-new',
        patientId: 'p-1',
        type: 'heartRate',
        value: 70,
        unit: '/min',
        observedAt,
      }),
    ),
  readVitals: (ctx) => vitals.query(ctx, JSON.stringify({ patientId: 'p-1' })),
  recordLabResult: (ctx) =>
    labs.record(
      ctx,
      JSON.stringify({
        resultId: 'lr-new',
        patientId: 'p-1',
        loinc: '2345-7',
        value: 5.4,
        unit: 'mmol/L',
        observedAt,
      }),
    ),
  readLabResults: (ctx) => labs.query(ctx, 'p-1', '', ''),
  prescribe: (ctx) =>
    rx.prescribe(ctx, JSON.stringify({ ...samplePrescription, prescriptionId: 'rx-new', quantity: 10 })),
  readPrescriptions: (ctx) => rx.query(ctx, 'p-1', '', ''),
  dispense: (ctx) =>
    rx.dispense(
      ctx,
      JSON.stringify({ dispensationId: 'd-new', prescriptionId: 'rx-1', patientId: 'p-1', quantity: 1 }),
    ),
  manageConsent: (ctx) =>
    consents.grant(
      ctx,
      JSON.stringify({
        patientId: 'p-1',
        granteeMspId: 'HospitalBMSP',
        scopes: ['vitals'],
        purpose: 'care',
        validUntil: '2027-06-01T00:00:00Z',
      }),
    ),
  readConsents: (ctx) => consents.list(ctx, 'p-1', '', ''),
  readAccessLog: (ctx) => accessLog.list(ctx, 'p-1', '', ''),
};

type ConsentState = 'none' | 'active' | 'expired' | 'revoked' | 'otherScope' | 'notYetValid';
const consentStates: ConsentState[] = ['none', 'active', 'expired', 'revoked', 'otherScope', 'notYetValid'];
const grantees = ['HospitalBMSP', 'LabMSP', 'PharmacyMSP'];

/** A ledger with p-1, its devices and a prescription, and consents to every other organisation in one state. */
async function ledgerWith(state: ConsentState, scope: ConsentScope): Promise<TestNetwork> {
  const net = new TestNetwork();
  await net.submit(adminA, (ctx) => orgs.bootstrap(ctx, JSON.stringify(registry)));
  await net.submit(adminA, (ctx) => patients.register(ctx, 'p-1'), { transient: { demographics } });
  for (const [deviceId, patientId] of [
    ['dev-1', 'p-1'],
    ['dev-2', undefined],
  ] as const) {
    await net.submit(adminA, (ctx) =>
      devices.register(ctx, JSON.stringify({ deviceId, type: 'monitor', patientId })),
    );
  }
  await net.submit(identity('HospitalAMSP', 'doctor'), (ctx) =>
    rx.prescribe(ctx, JSON.stringify(samplePrescription)),
  );
  if (state === 'none') return net;
  const now = net.now.getTime();
  for (const granteeMspId of grantees) {
    const grant = {
      patientId: 'p-1',
      granteeMspId,
      scopes: state === 'otherScope' ? consentScopes.filter((s) => s !== scope) : [...consentScopes],
      purpose: 'care',
      validFrom: state === 'notYetValid' ? new Date(now + 86_400_000).toISOString() : undefined,
      validUntil: new Date(now + (state === 'expired' ? 60_000 : 365 * 86_400_000)).toISOString(),
    };
    const { result } = await net.submit(patientA, (ctx) => consents.grant(ctx, JSON.stringify(grant)));
    if (state === 'revoked')
      await net.submit(patientA, (ctx) => consents.revoke(ctx, 'p-1', result.consentId));
  }
  if (state === 'expired') net.advance(3_600_000);
  return net;
}

interface Caller {
  readonly label: string;
  readonly who: TestIdentity;
}

const callers: Caller[] = [
  ...['HospitalAMSP', 'HospitalBMSP', 'LabMSP', 'PharmacyMSP'].flatMap((mspId) =>
    roles.map((role) => ({
      label: `${role}@${mspId}`,
      who: identity(
        mspId,
        role,
        role === 'patient' ? { patientId: 'p-1' } : role === 'device' ? { deviceId: 'dev-1' } : {},
      ),
    })),
  ),
  { label: 'patient p-2@HospitalAMSP', who: identity('HospitalAMSP', 'patient', { patientId: 'p-2' }) },
  { label: 'unbound device@HospitalAMSP', who: identity('HospitalAMSP', 'device', { deviceId: 'dev-2' }) },
  { label: 'no role@HospitalAMSP', who: { mspId: 'HospitalAMSP', name: 'x', attrs: {} } },
];

const typeOf: Record<string, 'hospital' | 'lab' | 'pharmacy'> = Object.fromEntries(
  registry.map((o) => [o.mspId, o.type]),
);

/** What the permission matrix says of one call: 'allowed' or the error code. */
function expectedOutcome(action: Action, who: TestIdentity, state: ConsentState): string {
  const orgType = typeOf[who.mspId]!;
  const role = who.attrs.role as Role | undefined;
  if (role === undefined || !rolesByOrgType[orgType].includes(role)) return 'UNAUTHENTICATED_ROLE';
  const ownOrganisationAction = action === 'registerPatient' || action === 'registerDevice';
  const relation: Relation =
    role === 'patient'
      ? 'patient'
      : orgType === 'hospital'
        ? who.mspId === 'HospitalAMSP' || ownOrganisationAction
          ? 'custodian'
          : 'otherHospital'
        : orgType;
  switch (expectedCondition(action, relation, role)) {
    case undefined:
      return 'ACCESS_DENIED';
    case 'always':
    case 'ownRecords':
      return 'allowed';
    case 'consent':
      return state === 'active' ? 'allowed' : 'CONSENT_REQUIRED';
    case 'own':
      return who.mspId === 'HospitalAMSP' && who.attrs.patientId === 'p-1' ? 'allowed' : 'ACCESS_DENIED';
    case 'boundDevice':
      return who.mspId === 'HospitalAMSP' && who.attrs.deviceId === 'dev-1' ? 'allowed' : 'ACCESS_DENIED';
  }
}

describe('the permission matrix as the contracts enforce it', () => {
  const networks = new Map<string, Promise<TestNetwork>>();
  function network(state: ConsentState, scope: ConsentScope): Promise<TestNetwork> {
    const id = state === 'otherScope' ? `${state} ${scope}` : state;
    let net = networks.get(id);
    if (!net) {
      net = ledgerWith(state, scope);
      networks.set(id, net);
    }
    return net;
  }

  const rows = actions.flatMap((action) => consentStates.map((state) => [action, state] as const));

  it.each(rows)('%s with consent %s: every organisation and role', async (action, state) => {
    const net = await network(state, permissionMatrix[action].scope ?? 'vitals');
    const outcomes: string[] = [];
    const wanted: string[] = [];
    for (const { label, who } of callers) {
      // Demographics travel as transient data; only Patients:register looks at them.
      const outcome = await net.evaluate(who, perform[action], { transient: { demographics } }).then(
        () => 'allowed',
        (err: unknown) => (err instanceof ChaincodeError ? err.code : `unexpected ${String(err)}`),
      );
      outcomes.push(`${label}: ${outcome}`);
      wanted.push(`${label}: ${expectedOutcome(action, who, state)}`);
    }
    expect(outcomes).toEqual(wanted);
  });
});
