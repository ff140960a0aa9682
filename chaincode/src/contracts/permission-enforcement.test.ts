import type { Context } from 'fabric-contract-api';
import {
  type Action,
  actions,
  ChaincodeError,
  type ConsentScope,
  consentScopes,
  permissionMatrix,
  type Relation,
  type Role,
  roles,
  rolesByOrgType,
} from '@careledger/contract';
import { contractInstances } from '../testing/contract-instances';
import { expectedCondition } from '../testing/expected-permissions';
import { sampleLabResult } from '../testing/sample-lab-result';
import { samplePrescription } from '../testing/sample-prescription';
import { demoCallers, identity, registry, TestNetwork, type TestIdentity } from '../testing/test-network';

// Every action × organisation (custodian hospital, other hospital, lab, pharmacy) × every role
// (also roles the organisation's type does not have) × consent state, through the contracts
// themselves, against the permission matrix as written out in testing/expected-permissions.ts.

const { orgs, patients, devices, vitals, consents, labs, rx, accessLog } = contractInstances;
const { adminA, patientA } = demoCallers;

const demographics = JSON.stringify({ name: 'Ada Example', birthDate: '1980-02-03', sex: 'female' });
const observedAt = '2026-11-22T09:00:00.000Z';

const A = 'HospitalAMSP';
const reading = JSON.stringify({
  readingId: 'r-new',
  patientId: 'p-1',
  type: 'heartRate',
  value: 70,
  unit: '/min',
  observedAt,
});

/**
 * The transaction that performs each action on patient p-1, and its transient inputs. Actions
 * that name no custodian (registering, binding, recording vitals, prescribing, consents, the
 * access log) act on the caller's own organisation's p-1; the others name Hospital A's.
 */
const perform: Record<Action, (ctx: Context) => Promise<unknown>> = {
  registerPatient: (ctx) => patients.register(ctx, 'p-new'),
  readPatient: (ctx) => patients.get(ctx, A, 'p-1'),
  readDemographics: (ctx) => patients.readDemographics(ctx, A, 'p-1'),
  registerDevice: (ctx) => devices.register(ctx),
  bindDevice: (ctx) => devices.bind(ctx, 'dev-2', 'p-1'),
  recordVitals: (ctx) => vitals.record(ctx),
  readVitals: (ctx) => vitals.query(ctx, JSON.stringify({ custodianMspId: A, patientId: 'p-1' })),
  acknowledgeAlert: (ctx) => vitals.acknowledge(ctx, 'p-1', 'r-alert'),
  recordLabResult: (ctx) => labs.record(ctx),
  readLabResults: (ctx) => labs.query(ctx, A, 'p-1', '', ''),
  prescribe: (ctx) => rx.prescribe(ctx),
  readPrescriptions: (ctx) => rx.query(ctx, A, 'p-1', '', ''),
  dispense: (ctx) => rx.dispense(ctx),
  manageConsent: (ctx) => consents.grant(ctx),
  readConsents: (ctx) => consents.list(ctx, 'p-1', '', ''),
  readAccessLog: (ctx) => accessLog.list(ctx, 'p-1', '', ''),
};

const transient: Record<string, string> = {
  demographics,
  device: JSON.stringify({ deviceId: 'dev-new', type: 'thermometer' }),
  reading,
  labResult: JSON.stringify({ ...sampleLabResult, resultId: 'lr-new', observedAt }),
  prescription: JSON.stringify({ ...samplePrescription, prescriptionId: 'rx-new', quantity: 10 }),
  dispensation: JSON.stringify({
    dispensationId: 'd-new',
    prescriptionId: 'rx-1',
    patientId: 'p-1',
    custodianMspId: A,
    quantity: 1,
  }),
  consent: JSON.stringify({
    patientId: 'p-1',
    granteeMspId: 'HospitalBMSP',
    scopes: ['vitals'],
    purpose: 'care',
    validUntil: '2027-06-01T00:00:00Z',
  }),
};

/** Actions on the caller's own organisation's patient (no custodian argument). */
const ownOrganisationActions: ReadonlySet<Action> = new Set([
  'registerPatient',
  'registerDevice',
  'bindDevice',
  'recordVitals',
  'acknowledgeAlert',
  'prescribe',
  'manageConsent',
  'readConsents',
  'readAccessLog',
]);
/** Actions that create what they act on: allowed for any organisation's caller of the right role. */
const creatingActions: ReadonlySet<Action> = new Set(['registerPatient', 'registerDevice']);

/** Reads that another organisation may make only after a committed AccessLog:request. */
const scopeOfLoggedRead: Partial<Record<Action, ConsentScope>> = {
  readDemographics: 'demographics',
  readVitals: 'vitals',
  readLabResults: 'labResults',
  readPrescriptions: 'prescriptions',
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
    await net.submit(adminA, (ctx) => devices.register(ctx), {
      transient: { device: JSON.stringify({ deviceId, type: 'monitor', patientId }) },
    });
  }
  // A critical reading (pulse 135, NEWS2 sub-score 3) whose alert can be acknowledged.
  await net.submit(identity(A, 'nurse'), (ctx) => vitals.record(ctx), {
    transient: { reading: JSON.stringify({ ...JSON.parse(reading), readingId: 'r-alert', value: 135 }) },
  });
  await net.submit(identity(A, 'doctor'), (ctx) => rx.prescribe(ctx), {
    transient: { prescription: JSON.stringify(samplePrescription) },
  });
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
    const { result } = await net.submit(patientA, (ctx) => consents.grant(ctx), {
      transient: { consent: JSON.stringify(grant) },
    });
    if (state === 'revoked') await net.submit(patientA, (ctx) => consents.revoke(ctx, 'p-1', result.id));
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
function expectedDecision(action: Action, who: TestIdentity, state: ConsentState): string {
  const orgType = typeOf[who.mspId]!;
  const role = who.attrs.role as Role | undefined;
  if (role === undefined || !rolesByOrgType[orgType].includes(role)) return 'UNAUTHENTICATED_ROLE';
  const ownOrganisation = ownOrganisationActions.has(action);
  const relation: Relation =
    role === 'patient'
      ? 'patient'
      : orgType === 'hospital'
        ? who.mspId === A || ownOrganisation
          ? 'custodian'
          : 'otherHospital'
        : orgType;
  const ownPatient = (ownOrganisation || who.mspId === A) && who.attrs.patientId === 'p-1';
  switch (expectedCondition(action, relation, role)) {
    case undefined:
      return 'ACCESS_DENIED';
    case 'always':
    case 'ownRecords':
      return 'allowed';
    case 'consent':
      return state === 'active' ? 'allowed' : 'CONSENT_REQUIRED';
    case 'own':
      return ownPatient ? 'allowed' : 'ACCESS_DENIED';
    case 'boundDevice':
      return who.mspId === A && who.attrs.deviceId === 'dev-1' ? 'allowed' : 'ACCESS_DENIED';
  }
}

/**
 * What one call answers: the decision, where another organisation's own p-1 (or device) does
 * not exist NOT_FOUND, and for another organisation's logged read first ACCESS_NOT_LOGGED
 * (no access request yet), then the answer after its AccessLog:request.
 */
function expectedOutcome(action: Action, who: TestIdentity, state: ConsentState): string {
  const decision = expectedDecision(action, who, state);
  if (decision !== 'allowed') {
    return who.mspId !== A && scopeOfLoggedRead[action] ? `${decision} / ${decision}` : decision;
  }
  if (who.mspId === A) return 'allowed';
  if (ownOrganisationActions.has(action)) return creatingActions.has(action) ? 'allowed' : 'NOT_FOUND';
  return scopeOfLoggedRead[action] ? 'ACCESS_NOT_LOGGED / allowed' : 'allowed';
}

function codeOf(err: unknown): string {
  return err instanceof ChaincodeError ? err.code : `unexpected ${String(err)}`;
}

/** Run one call on the peer that holds its data: the caller's own for own-organisation actions, else Hospital A's. */
async function outcomeOf(net: TestNetwork, action: Action, who: TestIdentity): Promise<string> {
  const at = ownOrganisationActions.has(action) ? who.mspId : A;
  const call = () =>
    net.evaluate(who, perform[action], { transient, at }).then(
      () => 'allowed',
      (err: unknown) => codeOf(err),
    );
  const scope = scopeOfLoggedRead[action];
  if (who.mspId === A || !scope) return call();
  const before = await call();
  const request = await net
    .submit(who, (ctx) => accessLog.request(ctx, A, 'p-1', scope), { at })
    .then(
      () => undefined,
      (err: unknown) => codeOf(err),
    );
  return `${before} / ${request ?? (await call())}`;
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
      outcomes.push(`${label}: ${await outcomeOf(net, action, who)}`);
      wanted.push(`${label}: ${expectedOutcome(action, who, state)}`);
    }
    expect(outcomes).toEqual(wanted);
  });
});
