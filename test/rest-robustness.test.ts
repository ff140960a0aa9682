import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { loadConnectionFile, type Devnet } from '@careledger/devnet';
import { loadConfig, startGateway, type RunningGateway } from '@careledger/gateway-api';
import pino from 'pino';
import { startEmbeddedNetwork } from '../gateway-api/src/embedded-network';

jest.setTimeout(120_000);

const logger = pino({ level: 'silent' });
let dataDir: string;
let devnet: Devnet;
let gateway: RunningGateway;
let key: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'careledger-robust-'));
  devnet = await startEmbeddedNetwork({ dataDir, logger });
  const config = loadConfig({ PORT: '0', CARELEDGER_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  gateway = await startGateway({
    config,
    connection: await loadConnectionFile(devnet.connectionFilePath),
    logger,
  });
  key = gateway.apiKeys.create('hospitala-nurse').key;
});

afterAll(async () => {
  await gateway?.close();
  await devnet?.stop();
  rmSync(dataDir, { recursive: true, force: true });
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
});
