import type { SignedReading } from '@careledger/contract';
import { ApiError } from '../errors/error-catalog';
import type { CallRequest } from '../ledger/ledger-client';
import { fakeReceipt } from '../testing/fake-ledger-client';
import { sampleReading } from '../testing/sample-reading';
import { startTestAppWithIntake } from '../testing/test-app';

type App = Awaited<ReturnType<typeof startTestAppWithIntake>>;

/** `Vitals:recordSigned` as the chaincode answers: a receipt per reading, or the refusal of one whose signature is 'Zm9yZ2Vk'. */
function signedOutcomes(r: CallRequest) {
  return (JSON.parse(r.transient?.signedReadings ?? '[]') as SignedReading[]).map((s) => {
    const readingId = (JSON.parse(s.payload) as { readingId: string }).readingId;
    return s.signature === 'Zm9yZ2Vk'
      ? {
          readingId,
          error: { code: 'ACCESS_DENIED', message: 'signedReadings.0.signature: does not verify' },
        }
      : { readingId, receipt: fakeReceipt(r, { id: readingId }) };
  });
}
type Body = { data?: Record<string, unknown>; meta?: Record<string, string>; error?: { code: string } };

let app: App;

beforeEach(async () => {
  app = await startTestAppWithIntake();
  app.ledger.answer = (r) =>
    r.transaction === 'Vitals:recordBatch'
      ? (JSON.parse(r.transient?.readings ?? '[]') as unknown[]).map(() => fakeReceipt(r))
      : r.transaction === 'Vitals:recordSigned'
        ? signedOutcomes(r)
        : r.transaction === 'Vitals:get'
          ? { ...sampleReading, custodianMspId: 'HospitalAMSP' }
          : fakeReceipt(r);
});

afterEach(async () => {
  await app.close();
});

async function postAsync(path: string, body: unknown): Promise<{ res: Response; body: Body }> {
  const res = await app.request(`/api/v1${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { prefer: 'respond-async' },
  });
  return { res, body: (await res.json()) as Body };
}

async function statusOf(url: string, as = 'a-nurse'): Promise<{ status: number; body: Body }> {
  const res = await app.request(url, { as });
  return { status: res.status, body: (await res.json()) as Body };
}

async function committed(url: string): Promise<Body['data']> {
  for (let i = 0; i < 200; i++) {
    const { body } = await statusOf(url);
    if (body.data?.status !== 'queued') return body.data;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the submission did not settle');
}

describe('asynchronous readings through the durable intake', () => {
  it('answers 202 with a submission status URL, then commits the reading as the caller', async () => {
    const { res, body } = await postAsync('/vitals', sampleReading);
    expect(res.status).toBe(202);
    const location = res.headers.get('location') ?? '';
    expect(location).toMatch(/^\/api\/v1\/submissions\/[0-9a-f-]{36}$/);
    expect(body.meta).toEqual({
      submissionId: location.split('/').pop(),
      status: 'queued',
      statusUrl: location,
    });
    expect(await committed(location)).toMatchObject({
      status: 'committed',
      transactionId: 'b'.repeat(64),
      blockNumber: '7',
      custodianMspId: 'HospitalAMSP',
      readings: [{ readingId: 'r-1', patientId: 'p-1' }],
    });
    expect(app.ledger.calls.map((c) => [c.transaction, c.identity, c.async === true])).toEqual([
      ['Vitals:record', 'a-nurse', false],
    ]);
  });

  it('takes a batch as one submission and one transaction', async () => {
    const readings = [sampleReading, { ...sampleReading, readingId: 'r-2' }];
    const { res } = await postAsync('/vitals/batch', { readings });
    expect(res.status).toBe(202);
    const status = await committed(res.headers.get('location') ?? '');
    expect(status?.readings).toEqual([
      { readingId: 'r-1', patientId: 'p-1' },
      { readingId: 'r-2', patientId: 'p-1' },
    ]);
    expect(app.ledger.calls.map((c) => c.transaction)).toEqual(['Vitals:recordBatch']);
  });

  it('takes device-signed readings too, each sent through the shared-transaction batcher, a forged one refused', async () => {
    const payload = JSON.stringify({ ...sampleReading, deviceId: 'd-1' });
    const accepted = await postAsync('/vitals/signed', { payload, signature: 'AA==' });
    expect(accepted.res.status).toBe(202);
    expect(await committed(accepted.res.headers.get('location') ?? '')).toMatchObject({
      status: 'committed',
      transactionId: 'b'.repeat(64),
      readings: [{ readingId: 'r-1', patientId: 'p-1' }],
    });
    const forged = await postAsync('/vitals/signed', {
      payload: JSON.stringify({ ...sampleReading, readingId: 'r-2', deviceId: 'd-1' }),
      signature: 'Zm9yZ2Vk',
    });
    expect(await committed(forged.res.headers.get('location') ?? '')).toMatchObject({
      status: 'refused',
      error: { code: 'ACCESS_DENIED', message: 'body.signature: does not verify' },
    });
    expect(app.ledger.calls.map((c) => c.transaction)).toEqual([
      'Vitals:recordSigned',
      'Vitals:recordSigned',
    ]);
    const notAReading = await postAsync('/vitals/signed', {
      payload: '{"readingId":"r-3"}',
      signature: 'AA==',
    });
    expect(notAReading.res.status).toBe(400);
  });

  it('refuses a reading the ledger would refuse for its content with 400, queueing nothing', async () => {
    const { res, body } = await postAsync('/vitals', { ...sampleReading, unit: 'bpm' });
    expect(res.status).toBe(400);
    expect(body.error?.code).toBe('INVALID_ARGUMENT');
    expect(app.intake.queuedReadings).toBe(0);
    expect(app.ledger.calls).toHaveLength(0);
  });

  it('shows a committed submission to another caller only if the ledger lets it read the readings', async () => {
    const { res } = await postAsync('/vitals', sampleReading);
    const url = res.headers.get('location') ?? '';
    await committed(url);
    app.ledger.calls.length = 0;
    const colleague = await statusOf(url, 'a-doctor');
    expect(colleague.status).toBe(200);
    expect(colleague.body.data?.status).toBe('committed');
    expect(app.ledger.calls.map((c) => [c.transaction, c.identity])).toEqual([['Vitals:get', 'a-doctor']]);

    app.ledger.answer = () => {
      throw new ApiError('CONSENT_REQUIRED', 'patient p-1 has not consented to HospitalBMSP reading vitals');
    };
    const outsider = await statusOf(url, 'b-doctor');
    expect(outsider.status).toBe(404);
    expect(outsider.body.error?.code).toBe('NOT_FOUND');
  });

  it('shows a submission not yet committed to its sender only, asking the ledger nothing', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    app.ledger.answer = async (r) => {
      await held;
      return fakeReceipt(r);
    };
    const { res } = await postAsync('/vitals', sampleReading);
    const url = res.headers.get('location') ?? '';
    expect((await statusOf(url)).body.data?.status).toBe('queued');
    const callsBefore = app.ledger.calls.length;
    expect((await statusOf(url, 'a-doctor')).status).toBe(404);
    expect(app.ledger.calls).toHaveLength(callsBefore);
    release();
    expect((await committed(url))?.status).toBe('committed');
  });

  it('answers an unknown submission 404 and a malformed id 400', async () => {
    expect((await statusOf('/api/v1/submissions/6f1c2a7e-0000-4000-8000-000000000000')).status).toBe(404);
    const malformed = await statusOf('/api/v1/submissions/not-an-id');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error?.code).toBe('INVALID_ARGUMENT');
  });
});
