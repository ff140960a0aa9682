import fc from 'fast-check';
import type { Devnet } from '@careledger/devnet';
import type { RunningGateway } from '@careledger/gateway-api';
import { startEmbeddedStack, type EmbeddedStack } from './embedded-stack';

jest.setTimeout(120_000);

let devnet: Devnet;
let gateway: RunningGateway;
let key: string;
let stack: EmbeddedStack | undefined;

beforeAll(async () => {
  stack = await startEmbeddedStack('robust');
  ({ devnet, gateway } = stack);
  key = stack.keys['hospitala-nurse'] ?? '';
});

afterAll(async () => {
  await stack?.close();
});

const writePaths = [
  '/vitals',
  '/vitals/batch',
  '/patients',
  '/devices',
  '/consents',
  '/lab-results',
  '/prescriptions',
  '/dispensations',
];

describe('the REST edge against the embedded ledger', () => {
  it('never answers malformed bodies, headers or paths with a 5xx, and never changes the ledger', async () => {
    const height = devnet.ledger.height();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...writePaths),
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.json({ maxDepth: 3 }),
          fc
            .record({
              readingId: fc.string(),
              patientId: fc.string(),
              type: fc.string(),
              value: fc.double(),
              unit: fc.string(),
              observedAt: fc.string(),
            })
            .map((o) => JSON.stringify(o)),
        ),
        fc.constantFrom(
          'application/json',
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/json; charset=utf-16',
        ),
        fc.string({ maxLength: 30 }),
        async (path, body, contentType, junkSegment) => {
          const post = await fetch(`${gateway.url}/api/v1${path}`, {
            method: 'POST',
            headers: { 'x-api-key': key, 'content-type': contentType, 'x-request-id': junkSegment },
            body,
          });
          expect(post.status).toBeGreaterThanOrEqual(400);
          expect(post.status).toBeLessThan(500);
          const payload = (await post.json()) as { error?: { code?: string } };
          expect(typeof payload.error?.code).toBe('string');
          const get = await fetch(
            `${gateway.url}/api/v1/patients/${encodeURIComponent(junkSegment)}/vitals?pageSize=${encodeURIComponent(junkSegment)}`,
            {
              headers: { 'x-api-key': key },
            },
          );
          expect(get.status).toBeLessThan(500);
        },
      ),
      { numRuns: 120 },
    );
    expect(devnet.ledger.height()).toBe(height);
  });

  it('answers a custodian that is no member of the network with 404, for reads and writes', async () => {
    const read = await fetch(`${gateway.url}/api/v1/patients/p-1?custodian=NoSuchMSP`, {
      headers: { 'x-api-key': key },
    });
    expect(read.status).toBe(404);
    expect(((await read.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: 'NOT_FOUND',
      message: 'no organisation NoSuchMSP has a peer on the channel',
    });
    const lab = await fetch(`${gateway.url}/api/v1/lab-results`, {
      method: 'POST',
      headers: { 'x-api-key': stack?.keys['lab-technician'] ?? '', 'content-type': 'application/json' },
      body: JSON.stringify({
        resultId: 'lr-x',
        patientId: 'p-1',
        custodianMspId: 'NoSuchMSP',
        loinc: '2345-7',
        value: 5.4,
        unit: 'mmol/L',
        observedAt: new Date(Date.now() - 60_000).toISOString(),
      }),
    });
    expect([lab.status, ((await lab.json()) as { error: { code: string } }).error.code]).toEqual([
      404,
      'NOT_FOUND',
    ]);
  });
});
