import { startTestApp, type TestApp } from '../testing/test-app';

const custodianIs =
  (mspId: string, value: unknown = { ok: true }) =>
  (r: { transaction: string }) =>
    r.transaction === 'Patients:custodianOf' ? mspId : value;

describe('ledger router', () => {
  let app: TestApp;
  beforeEach(() => {
    app = startTestApp();
  });
  afterEach(async () => {
    await app.close();
  });

  describe('reads the catalogue marks as submit', () => {
    it("evaluates the custodian's own read and submits another organisation's (it is logged)", async () => {
      app.ledger.answer = custodianIs('HospitalAMSP', { records: [], bookmark: '', fetchedRecordsCount: 0 });
      await app.request('/api/v1/patients/p-1/vitals', { as: 'a-doctor' });
      await app.request('/api/v1/patients/p-1/vitals', { as: 'b-doctor' });
      const queries = app.ledger.calls.filter((c) => c.transaction === 'Vitals:query');
      expect(queries.map((c) => [c.identity, c.evaluate])).toEqual([
        ['a-doctor', true],
        ['b-doctor', false],
      ]);
    });

    it('looks the custodian up once per patient, and not after a failed lookup', async () => {
      let known = false;
      app.ledger.answer = (r) => {
        if (r.transaction === 'Patients:custodianOf' && !known) throw new Error('not yet');
        return r.transaction === 'Patients:custodianOf' ? 'HospitalAMSP' : { ok: true };
      };
      expect((await app.request('/api/v1/patients/p-1/vitals/r-1')).status).toBe(500);
      known = true;
      await app.request('/api/v1/patients/p-1/vitals/r-1');
      await app.request('/api/v1/patients/p-1/lab-results');
      expect(app.ledger.calls.filter((c) => c.transaction === 'Patients:custodianOf')).toHaveLength(2);
    });

    it('never answers a GET asynchronously', async () => {
      app.ledger.answer = custodianIs('HospitalAMSP');
      const res = await app.request('/api/v1/patients/p-1/vitals/r-1', {
        as: 'b-doctor',
        headers: { prefer: 'respond-async' },
      });
      expect(res.status).toBe(200);
      expect(app.ledger.calls.at(-1)).toMatchObject({ async: false, evaluate: false });
    });
  });

  it('has the custodian endorse what the catalogue marks endorseByCustodian, found in the body', async () => {
    app.ledger.answer = custodianIs('HospitalAMSP');
    const res = await app.request('/api/v1/consents', {
      as: 'a-patient',
      method: 'POST',
      body: JSON.stringify({
        patientId: 'p-1',
        granteeMspId: 'HospitalBMSP',
        scopes: ['vitals'],
        purpose: 'second opinion',
        validUntil: '2099-01-01T00:00:00Z',
      }),
    });
    expect(res.status).toBe(201);
    expect(app.ledger.calls.at(-1)).toMatchObject({
      transaction: 'Consents:grant',
      identity: 'a-patient',
      endorsingOrganizations: ['HospitalAMSP'],
    });
  });

  it('does not look up a custodian for a plain write', async () => {
    await app.request('/api/v1/devices/d-1/patient', { method: 'PUT', body: '{"patientId":"p-1"}' });
    expect(app.ledger.calls.map((c) => c.transaction)).toEqual(['Devices:bind']);
    expect(app.ledger.calls[0]?.endorsingOrganizations).toBeUndefined();
  });

  it('reports a pending, a committed and an invalid transaction', async () => {
    const tx = 'c'.repeat(64);
    const statusOf = async () =>
      ((await (await app.request(`/api/v1/transactions/${tx}`)).json()) as { data: unknown }).data;
    app.ledger.status$ = (transactionId) => ({ transactionId, committed: false });
    expect(await statusOf()).toEqual({ transactionId: tx, committed: false, status: 'pending' });
    app.ledger.status$ = (transactionId) => ({
      transactionId,
      committed: true,
      valid: false,
      code: 11,
      blockNumber: 9n,
    });
    expect(await statusOf()).toMatchObject({ status: 'invalid', code: 11, blockNumber: '9' });
    expect((await app.request('/api/v1/transactions/not-an-id')).status).toBe(400);
  });

  it('reports the ledger time per phase in Server-Timing and in the metrics', async () => {
    const res = await app.request('/api/v1/devices/d-1/patient', {
      method: 'PUT',
      body: '{"patientId":"p-1"}',
    });
    expect(res.headers.get('server-timing')).toBe(
      'endorse;dur=1.0, submit;dur=1.0, commit;dur=2.0, attempts;desc="1"',
    );
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(
      /careledger_ledger_phase_duration_seconds_count\{phase="commit",transaction="Devices:bind"\} 1/,
    );
  });
});
