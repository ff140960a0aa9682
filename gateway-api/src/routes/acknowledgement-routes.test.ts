import { ApiError } from '../errors/error-catalog';
import { fakeReceipt } from '../testing/fake-ledger-client';
import { startTestApp, type TestApp } from '../testing/test-app';

const path = '/api/v1/patients/p-1/vitals/r-1/acknowledgement';

describe('alert acknowledgement routes', () => {
  let app: TestApp;
  beforeEach(() => {
    app = startTestApp();
  });
  afterEach(async () => {
    await app.close();
  });

  it("POST submits Vitals:acknowledge at the caller's own hospital and answers who and when (201)", async () => {
    app.ledger.answer = (r) =>
      fakeReceipt(r, { id: 'r-1', patientId: 'p-1', news2Score: 3, flag: 'critical' });
    const res = await app.request(path, { method: 'POST' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { data: unknown; meta: unknown };
    expect(body.data).toEqual({
      readingId: 'r-1',
      patientId: 'p-1',
      custodianMspId: 'HospitalAMSP',
      news2Score: 3,
      flag: 'critical',
      acknowledgedAt: '2026-11-22T10:00:00.000Z',
      acknowledgedBy: { mspId: 'HospitalAMSP', role: 'nurse', id: 'x509::/CN=test' },
      txId: 'b'.repeat(64),
    });
    expect(body.meta).toEqual({ transactionId: 'b'.repeat(64), blockNumber: '7' });
    expect(app.ledger.calls.map((c) => [c.transaction, c.args, c.endorsingOrganizations])).toEqual([
      ['Vitals:acknowledge', ['p-1', 'r-1'], ['HospitalAMSP']],
    ]);
  });

  it('answers an alert acknowledged already with the first acknowledgement (200), submitting nothing', async () => {
    app.ledger.answer = (r) =>
      fakeReceipt(r, { id: 'r-1', patientId: 'p-1', news2Score: 2, flag: 'abnormal', replayed: true });
    const res = await app.request(path, { method: 'POST', as: 'a-doctor' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { meta?: unknown }).meta).toBeUndefined();
  });

  it("answers the chaincode's refusal (409), and GET reads the acknowledgement at the custodian named", async () => {
    app.ledger.answer = () => {
      throw new ApiError('PRECONDITION_FAILED', 'reading r-1 is normal: it raised no alert to acknowledge');
    };
    const refused = await app.request(path, { method: 'POST' });
    expect([refused.status, ((await refused.json()) as { error: { code: string } }).error.code]).toEqual([
      409,
      'PRECONDITION_FAILED',
    ]);
    app.ledger.answer = () => ({
      readingId: 'r-1',
      patientId: 'p-1',
      custodianMspId: 'HospitalAMSP',
      news2Score: 2,
      flag: 'abnormal',
      acknowledgedAt: '2026-11-22T10:00:00.000Z',
      acknowledgedBy: { mspId: 'HospitalAMSP', role: 'nurse', id: 'x509::n' },
      txId: 'b'.repeat(64),
    });
    const read = await app.request(`${path}?custodian=HospitalAMSP`, { as: 'a-doctor' });
    expect(read.status).toBe(200);
    expect(app.ledger.calls.at(-1)).toMatchObject({
      transaction: 'Vitals:getAcknowledgement',
      args: ['HospitalAMSP', 'p-1', 'r-1'],
      endorsingOrganizations: ['HospitalAMSP'],
    });
  });
});
