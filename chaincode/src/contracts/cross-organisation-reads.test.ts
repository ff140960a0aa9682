import { unmarshal } from '../codec';
import { accessWindowMs, isSealedAnswer, maxActiveConsents, maxProposalSkewMs } from '@careledger/contract';
import { A, careSetUp, consentInput, demographics, expectError, heartRate } from '../testing/care-setup';
import { contractInstances } from '../testing/contract-instances';
import { PRIVATE_DATA_NOT_AVAILABLE } from '@careledger/devnet/testing';
import { demoCallers, identity, type TestNetwork } from '../testing/test-network';

// Another organisation reads a patient's data only with the patient's consent, only after an
// AccessLog:request that the custodian's peer decided and committed, and only on that peer.

const { patients, vitals, consents, accessLog } = contractInstances;
const { adminA, nurseA, doctorA, deviceA, patientA, doctorB } = demoCallers;
const nurseB = identity('HospitalBMSP', 'nurse');
const query = JSON.stringify({ custodianMspId: A, patientId: 'p-1' });
const atCustodian = { at: A } as const;

function grant(net: TestNetwork, input = consentInput('HospitalBMSP', ['vitals', 'demographics'])) {
  return net.submit(patientA, (ctx) => consents.grant(ctx), { transient: { consent: input } });
}

function request(net: TestNetwork, who = doctorB, scope = 'vitals', options: { timestamp?: Date } = {}) {
  return net.submit(who, (ctx) => accessLog.request(ctx, A, 'p-1', scope), { ...atCustodian, ...options });
}

function readVitals(net: TestNetwork, who = doctorB) {
  return net.evaluate(who, (ctx) => vitals.query(ctx, query), atCustodian);
}

async function withReading(): Promise<TestNetwork> {
  const net = await careSetUp();
  await net.submit(deviceA, (ctx) => vitals.record(ctx), { transient: { reading: heartRate('r-1', 72) } });
  return net;
}

describe('a consented read by another hospital', () => {
  it('runs the story: no consent, consent, no request, request, read, logged for the patient, revoke', async () => {
    const net = await withReading();
    await expectError(request(net), 'CONSENT_REQUIRED', 'consent: none');

    const granted = await grant(net);
    expect(granted.result).toMatchObject({ status: 'active', custodianMspId: A, by: { role: 'patient' } });
    const event = unmarshal<Record<string, unknown>>(granted.stub.event!.payload);
    expect(granted.stub.event?.name).toBe('ConsentChanged');
    expect(event).toEqual({
      consentId: granted.result.id,
      patientId: 'p-1',
      custodianMspId: A,
      granteeMspId: 'HospitalBMSP',
      status: 'active',
    });

    await expectError(readVitals(net), 'ACCESS_NOT_LOGGED', "AccessLog:request for scope 'vitals'");
    const requested = await request(net);
    expect(requested.result).toMatchObject({
      status: 'vitals',
      consentId: granted.result.id,
      custodianMspId: A,
    });
    expect(Date.parse(requested.result.validUntil!) - Date.parse(requested.result.at)).toBe(accessWindowMs);
    expect(JSON.stringify(requested.result)).not.toContain('72');
    const read = await readVitals(net);
    expect(read.result.records.map((r) => [r.readingId, r.value])).toEqual([['r-1', 72]]);
    // Sealed to Hospital B's doctor: were it submitted, the block would hold only ciphertext.
    expect(isSealedAnswer(read.raw)).toBe(true);
    expect(JSON.stringify(read.raw)).not.toContain('r-1');
    expect(read.stub.hasWrites()).toBe(false);

    // One scope's request opens that scope only.
    await expectError(
      net.evaluate(doctorB, (ctx) => patients.readDemographics(ctx, A, 'p-1'), atCustodian),
      'ACCESS_NOT_LOGGED',
    );
    await request(net, doctorB, 'demographics');
    const demo = await net.evaluate(doctorB, (ctx) => patients.readDemographics(ctx, A, 'p-1'), atCustodian);
    expect(demo.result.name).toBe('Ada Example');

    const log = await net.evaluate(patientA, (ctx) => accessLog.list(ctx, 'p-1', '', ''));
    expect(log.result.records.map((e) => [e.action, e.accessor.mspId, e.consentId])).toEqual([
      ['readVitals', 'HospitalBMSP', granted.result.id],
      ['readDemographics', 'HospitalBMSP', granted.result.id],
    ]);

    await expectError(
      net.submit(doctorB, (ctx) => consents.revoke(ctx, 'p-1', granted.result.id)),
      'ACCESS_DENIED', // only the patient and the custodian's admin manage consents
    );
    const revoked = await net.submit(adminA, (ctx) => consents.revoke(ctx, 'p-1', granted.result.id));
    expect(revoked.result).toMatchObject({ status: 'revoked', by: { role: 'admin' } });
    // The window is still open, but the consent is checked again on every read (a revoked
    // consent leaves the patient's active consents: there is none left).
    await expectError(readVitals(net), 'CONSENT_REQUIRED', 'consent: none');
    await expectError(request(net), 'CONSENT_REQUIRED', 'consent: none');
    await expectError(
      net.submit(adminA, (ctx) => consents.revoke(ctx, 'p-1', granted.result.id)),
      'PRECONDITION_FAILED',
    );
    const history = await net.evaluate(patientA, (ctx) => consents.history(ctx, 'p-1', granted.result.id));
    expect(history.result.map((h) => h.value?.status)).toEqual(['revoked', 'active']);
    const { result: stored } = await net.evaluate(adminA, (ctx) =>
      consents.get(ctx, 'p-1', granted.result.id),
    );
    expect(stored).toMatchObject({ status: 'revoked', revokedBy: { role: 'admin' }, purpose: 'care' });
  });

  it('closes the window after two minutes and opens it only for the identity that asked', async () => {
    const net = await withReading();
    await grant(net);
    await request(net);
    await expectError(readVitals(net, nurseB), 'ACCESS_NOT_LOGGED');
    await readVitals(net);
    net.advance(accessWindowMs);
    await expectError(readVitals(net), 'ACCESS_NOT_LOGGED');
    await request(net);
    await readVitals(net);
  });

  it('opens nothing with an evaluated (uncommitted) request', async () => {
    const net = await withReading();
    await grant(net);
    const evaluated = await net.evaluate(
      doctorB,
      (ctx) => accessLog.request(ctx, A, 'p-1', 'vitals'),
      atCustodian,
    );
    expect(evaluated.stub.hasWrites()).toBe(true);
    await expectError(readVitals(net), 'ACCESS_NOT_LOGGED');
  });

  it('cannot be answered by any peer but the custodian', async () => {
    const net = await withReading();
    await grant(net);
    await expect(
      net.submit(doctorB, (ctx) => accessLog.request(ctx, A, 'p-1', 'vitals'), { at: 'HospitalBMSP' }),
    ).rejects.toThrow(PRIVATE_DATA_NOT_AVAILABLE);
    await request(net);
    await expect(
      net.evaluate(doctorB, (ctx) => vitals.query(ctx, query), { at: 'HospitalBMSP' }),
    ).rejects.toThrow(PRIVATE_DATA_NOT_AVAILABLE);
  });

  it('needs no request for the custodian itself, whose reads are not logged', async () => {
    const net = await withReading();
    const read = await net.evaluate(doctorA, (ctx) => vitals.query(ctx, query));
    expect(read.result.records).toHaveLength(1);
    await expectError(
      net.submit(doctorA, (ctx) => accessLog.request(ctx, A, 'p-1', 'vitals')),
      'INVALID_ARGUMENT',
      "caller's own organisation",
    );
    await expectError(request(net, doctorB, 'everything'), 'INVALID_ARGUMENT', 'scope');
  });

  it('denies at once when a consent expires', async () => {
    const net = await withReading();
    const until = new Date(net.now.getTime() + 10_000).toISOString();
    await grant(net, consentInput('HospitalBMSP', ['vitals'], { validUntil: until }));
    await request(net);
    await readVitals(net);
    net.advance(20_000);
    await expectError(readVitals(net), 'CONSENT_REQUIRED', 'consent: expired');
  });
});

describe('the proposal time', () => {
  it("refuses a proposal further than five minutes from the peer's clock, writing nothing", async () => {
    const net = await withReading();
    await grant(net);
    for (const offset of [-maxProposalSkewMs - 60_000, maxProposalSkewMs + 60_000]) {
      const before = net.snapshot();
      await expectError(
        request(net, doctorB, 'vitals', { timestamp: new Date(net.now.getTime() + 1000 + offset) }),
        'STALE_PROPOSAL',
        "check the client's clock",
      );
      expect(net.snapshot()).toBe(before);
    }
    await expectError(
      net.evaluate(doctorA, (ctx) => vitals.query(ctx, query), {
        timestamp: new Date(Date.parse('2020-01-01')),
      }),
      'STALE_PROPOSAL',
      'behind',
    );
  });

  it('lets a backdated request within the bound open no more than its own window', async () => {
    const net = await withReading();
    await grant(net);
    net.advance(maxProposalSkewMs);
    const backdated = new Date(net.now.getTime() - (maxProposalSkewMs - 30_000));
    const { result } = await request(net, doctorB, 'vitals', { timestamp: backdated });
    expect(Date.parse(result.validUntil!)).toBeLessThan(net.now.getTime());
    await expectError(readVitals(net), 'ACCESS_NOT_LOGGED');
  });
});

describe('consents', () => {
  it(`caps a patient's active consents at ${maxActiveConsents}; revoked and expired ones do not count`, async () => {
    const net = await careSetUp();
    const soon = new Date(net.now.getTime() + 3_600_000).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < maxActiveConsents; i++) {
      const { result } = await grant(net, consentInput('HospitalBMSP', ['vitals'], { validUntil: soon }));
      ids.push(result.id);
    }
    const before = net.snapshot();
    await expectError(
      grant(net),
      'PRECONDITION_FAILED',
      `${maxActiveConsents} active consents; revoke one first`,
    );
    expect(net.snapshot()).toBe(before);
    await net.submit(adminA, (ctx) => consents.revoke(ctx, 'p-1', ids[0]!));
    await grant(net);
    await expectError(grant(net), 'PRECONDITION_FAILED');
    net.advance(2 * 3_600_000);
    const { result } = await grant(net);
    expect(result.status).toBe('active');
  });

  it('keeps a patient from granting for someone else and checks the grantee and the dates', async () => {
    const net = await careSetUp();
    await net.submit(nurseA, (ctx) => patients.register(ctx, 'p-2'), { transient: { demographics } });
    const before = net.snapshot();
    const cases: [string, string, string][] = [
      [
        JSON.stringify({ ...JSON.parse(consentInput('HospitalBMSP', ['vitals'])), patientId: 'p-2' }),
        'ACCESS_DENIED',
        'own',
      ],
      [consentInput('NoSuchMSP', ['vitals']), 'INVALID_ARGUMENT', 'granteeMspId'],
      [consentInput('LabMSP', ['vitals'], { granteeRole: 'nurse' }), 'INVALID_ARGUMENT', 'granteeRole'],
      [
        consentInput('LabMSP', ['vitals'], { validUntil: '2020-01-01T00:00:00Z' }),
        'INVALID_ARGUMENT',
        'validUntil',
      ],
    ];
    for (const [input, code, fragment] of cases) await expectError(grant(net, input), code, fragment);
    expect(net.snapshot()).toBe(before);
  });

  it('shows consents only to the patient and the custodian admin', async () => {
    const net = await careSetUp();
    const { result } = await grant(net);
    const listed = await net.evaluate(patientA, (ctx) => consents.list(ctx, 'p-1', '', ''));
    expect(listed.result.records.map((c) => c.consentId)).toEqual([result.id]);
    await expectError(
      net.evaluate(nurseA, (ctx) => consents.list(ctx, 'p-1', '', '')),
      'ACCESS_DENIED',
    );
    await expectError(
      net.evaluate(doctorA, (ctx) => accessLog.list(ctx, 'p-1', '', '')),
      'ACCESS_DENIED',
    );
  });
});
