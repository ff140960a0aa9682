import { ApiError } from '../errors/error-catalog';
import { fakeReceipt } from '../testing/fake-ledger-client';
import { sampleReading } from '../testing/sample-reading';
import { startTestApp, type TestApp } from '../testing/test-app';

const emptyPage = { records: [], bookmark: '', fetchedRecordsCount: 0 };

describe('ledger router', () => {
  let app: TestApp;
  beforeEach(() => {
    app = startTestApp();
  });
  afterEach(async () => {
    await app.close();
  });

  describe('reads of patient data', () => {
    it("evaluates the custodian's own read on its own peer, with nothing logged", async () => {
      app.ledger.answer = () => emptyPage;
      const res = await app.request('/api/v1/patients/p-1/vitals', { as: 'a-doctor' });
      expect(res.status).toBe(200);
      expect(app.ledger.calls.map((c) => [c.transaction, c.endorsingOrganizations])).toEqual([
        ['Vitals:query', ['HospitalAMSP']],
      ]);
    });

    it("makes another organisation's read a committed access request first, then evaluates it at the custodian", async () => {
      app.ledger.answer = (r) => (r.transaction === 'AccessLog:request' ? fakeReceipt(r) : emptyPage);
      const res = await app.request('/api/v1/patients/p-1/vitals?custodian=HospitalAMSP&pageSize=5', {
        as: 'b-doctor',
      });
      expect(res.status).toBe(200);
      expect(app.ledger.calls.map((c) => [c.transaction, c.identity, c.endorsingOrganizations])).toEqual([
        ['AccessLog:request', 'b-doctor', ['HospitalAMSP']],
        ['Vitals:query', 'b-doctor', ['HospitalAMSP']],
      ]);
      expect(app.ledger.calls[0]?.args).toEqual(['HospitalAMSP', 'p-1', 'vitals']);
      expect(JSON.parse(app.ledger.calls[1]?.args[0] ?? '')).toEqual({
        patientId: 'p-1',
        custodianMspId: 'HospitalAMSP',
        pageSize: 5,
      });
      expect(((await res.json()) as { meta: unknown }).meta).toEqual({
        transactionId: 'b'.repeat(64),
        blockNumber: '7',
      });
    });

    it('names the scope of each read in its access request', async () => {
      app.ledger.answer = (r) => (r.transaction === 'AccessLog:request' ? fakeReceipt(r) : emptyPage);
      for (const path of [
        'demographics',
        'lab-results',
        'prescriptions',
        'prescriptions/rx-1/history',
        'vitals/r-1',
      ]) {
        await app.request(`/api/v1/patients/p-1/${path}?custodian=HospitalAMSP`, { as: 'b-doctor' });
      }
      const scopes = app.ledger.calls
        .filter((c) => c.transaction === 'AccessLog:request')
        .map((c) => c.args[2]);
      expect(scopes).toEqual(['demographics', 'labResults', 'prescriptions', 'prescriptions', 'vitals']);
    });

    it("tries a read again while the custodian's peer has not committed the request yet, then gives up", async () => {
      let refusals = 2;
      app.ledger.answer = (r) => {
        if (r.transaction === 'AccessLog:request') return fakeReceipt(r);
        if (refusals-- > 0) throw new ApiError('ACCESS_NOT_LOGGED', 'no committed request');
        return { name: 'x' };
      };
      const ok = await app.request('/api/v1/patients/p-1/demographics?custodian=HospitalAMSP', {
        as: 'b-doctor',
      });
      expect(ok.status).toBe(200);
      expect(app.ledger.calls.map((c) => c.transaction)).toEqual([
        'AccessLog:request',
        'Patients:readDemographics',
        'Patients:readDemographics',
        'Patients:readDemographics',
      ]);
      refusals = Infinity;
      const refused = await app.request('/api/v1/patients/p-1/demographics?custodian=HospitalAMSP', {
        as: 'b-doctor',
      });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('ACCESS_NOT_LOGGED');
    }, 10_000);

    it('does not read when the access request is refused', async () => {
      app.ledger.answer = () => {
        throw new ApiError('CONSENT_REQUIRED', 'no consent');
      };
      const res = await app.request('/api/v1/patients/p-1/vitals?custodian=HospitalAMSP', { as: 'b-doctor' });
      expect(res.status).toBe(403);
      expect(app.ledger.calls.map((c) => c.transaction)).toEqual(['AccessLog:request']);
    });

    it('refuses a malformed custodian before any ledger call', async () => {
      const res = await app.request('/api/v1/patients/p-1/vitals?custodian=not%20an%20msp', {
        as: 'b-doctor',
      });
      expect(res.status).toBe(400);
      expect(app.ledger.calls).toHaveLength(0);
    });

    it('never answers a GET asynchronously', async () => {
      app.ledger.answer = (r) =>
        r.transaction === 'AccessLog:request' ? fakeReceipt(r) : { readingId: 'r-1' };
      const res = await app.request('/api/v1/patients/p-1/vitals/r-1?custodian=HospitalAMSP', {
        as: 'b-doctor',
        headers: { prefer: 'respond-async' },
      });
      expect(res.status).toBe(200);
      expect(app.ledger.calls.every((c) => !c.async)).toBe(true);
    });
  });

  it("has the custodian endorse a write: the caller's own hospital, or the one named in the body", async () => {
    const consent = await app.request('/api/v1/consents', {
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
    expect(consent.status).toBe(201);
    const lab = await app.request('/api/v1/lab-results', {
      as: 'lab-technician',
      method: 'POST',
      body: JSON.stringify({
        resultId: 'lr-1',
        patientId: 'p-1',
        custodianMspId: 'HospitalAMSP',
        loinc: '2345-7',
        value: 5.4,
        unit: 'mmol/L',
        observedAt: '2026-11-22T09:00:00Z',
      }),
    });
    expect(lab.status).toBe(201);
    expect(app.ledger.calls.map((c) => [c.transaction, c.identity, c.endorsingOrganizations])).toEqual([
      ['Consents:grant', 'a-patient', ['HospitalAMSP']],
      ['LabResults:record', 'lab-technician', ['HospitalAMSP']],
    ]);
    expect(app.ledger.calls.every((c) => c.args.length === 0 && c.transient !== undefined)).toBe(true);
  });

  it('answers a bind with the device as now stored, read after the commit; asynchronously, only the bind', async () => {
    app.ledger.answer = (r) =>
      r.transaction === 'Devices:get'
        ? { deviceId: 'd-1', patientId: 'p-1', type: 'monitor' }
        : fakeReceipt(r);
    const res = await app.request('/api/v1/devices/d-1/patient', {
      method: 'PUT',
      body: '{"patientId":"p-1"}',
    });
    expect(((await res.json()) as { data: unknown }).data).toEqual({
      deviceId: 'd-1',
      patientId: 'p-1',
      type: 'monitor',
    });
    expect(app.ledger.calls.map((c) => c.transaction)).toEqual(['Devices:bind', 'Devices:get']);
    app.ledger.calls.length = 0;
    const pending = await app.request('/api/v1/devices/d-1/patient', {
      method: 'PUT',
      body: '{"patientId":"p-1"}',
      headers: { prefer: 'respond-async' },
    });
    expect(pending.status).toBe(202);
    expect(app.ledger.calls.map((c) => c.transaction)).toEqual(['Devices:bind']);
  });

  it('answers a replayed reading 200 without a transaction, a new one 201 with its transaction', async () => {
    const reading = sampleReading;
    app.ledger.answer = (r) => fakeReceipt(r, { replayed: true });
    const replay = await app.request('/api/v1/vitals', { method: 'POST', body: JSON.stringify(reading) });
    expect(replay.status).toBe(200);
    const replayBody = (await replay.json()) as { data: { replayed: boolean }; meta?: unknown };
    expect(replayBody.data.replayed).toBe(true);
    expect(replayBody.meta).toBeUndefined();
    // The predicate the ledger client applies to the endorsed answer before it would submit.
    const predicate = app.ledger.calls[0]?.alreadyOnLedger;
    expect(predicate?.(Buffer.from(JSON.stringify(fakeReceipt({ mspId: 'X' }, { replayed: true }))))).toBe(
      true,
    );
    expect(predicate?.(Buffer.from(JSON.stringify(fakeReceipt({ mspId: 'X' }))))).toBe(false);

    app.ledger.answer = (r) => fakeReceipt(r);
    const fresh = await app.request('/api/v1/vitals', { method: 'POST', body: JSON.stringify(reading) });
    expect(fresh.status).toBe(201);
    expect(((await fresh.json()) as { meta: { transactionId: string } }).meta.transactionId).toMatch(/^b+$/);
  });

  it('admits MAX_WRITES_IN_FLIGHT writes and refuses one more at once with 503 OVERLOADED and Retry-After; reads are not limited', async () => {
    const limited = startTestApp({ maxWritesInFlight: 2 });
    try {
      const held: (() => void)[] = [];
      limited.ledger.answer = (r) =>
        r.transaction === 'Vitals:record'
          ? new Promise((resolve) => held.push(() => resolve(fakeReceipt(r))))
          : emptyPage;
      const post = (id: string) =>
        limited.request('/api/v1/vitals', {
          method: 'POST',
          body: JSON.stringify({ ...sampleReading, readingId: id }),
        });
      const admitted = [post('r-1'), post('r-2')];
      while (held.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      const refused = await post('r-3');
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('OVERLOADED');
      expect(limited.ledger.calls.filter((c) => c.transaction === 'Vitals:record')).toHaveLength(2);
      // A read still goes through while the writes are held.
      expect((await limited.request('/api/v1/patients/p-1/vitals', { as: 'a-doctor' })).status).toBe(200);
      for (const release of held) release();
      expect((await Promise.all(admitted)).map((r) => r.status)).toEqual([201, 201]);
      // Room again.
      limited.ledger.answer = (r) => fakeReceipt(r);
      expect((await post('r-3')).status).toBe(201);
    } finally {
      await limited.close();
    }
  });

  it('refuses writes at once with 503 OVERLOADED while the event loop runs late, and takes them again after', async () => {
    const lagging = startTestApp({ maxEventLoopLagMs: 100 });
    try {
      const busy = (ms: number) => {
        const until = performance.now() + ms;
        while (performance.now() < until) {
          // the loop is saturated
        }
      };
      const post = (id: string) =>
        lagging.request('/api/v1/vitals', {
          method: 'POST',
          body: JSON.stringify({ ...sampleReading, readingId: id }),
        });
      const write = post('r-lag');
      const read = lagging.request('/api/v1/patients/p-1/vitals', { as: 'a-doctor' });
      lagging.ledger.answer = (r) => (r.transaction === 'Vitals:query' ? emptyPage : fakeReceipt(r));
      busy(400);
      const refused = await write;
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('1');
      const body = (await refused.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('OVERLOADED');
      expect(body.error.message).toMatch(/event loop runs \d+ ms late/);
      expect(lagging.ledger.calls.filter((c) => c.transaction === 'Vitals:record')).toHaveLength(0);
      expect((await read).status).toBe(200); // reads are answered
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await post('r-lag')).status).toBe(201);
    } finally {
      await lagging.close();
    }
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
    const rx = await app.request('/api/v1/prescriptions', {
      as: 'a-doctor',
      method: 'POST',
      body: JSON.stringify({
        prescriptionId: 'rx-1',
        patientId: 'p-1',
        atc: 'C09AA05',
        medication: 'Ramipril 5 mg',
        dosage: '1 daily',
        quantity: 30,
      }),
    });
    expect(rx.headers.get('server-timing')).toBe(
      'endorse;dur=1.0, submit;dur=1.0, commit;dur=2.0, attempts;desc="1"',
    );
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(
      /careledger_ledger_phase_duration_seconds_count\{phase="commit",transaction="Prescriptions:prescribe"\} 1/,
    );
  });
});
