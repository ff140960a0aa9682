import { createServer, type Server } from 'node:http';
import type { Reading } from '../device/reading';
import type { AcknowledgedReading } from './acknowledged-readings';
import { auditLedger } from './ledger-audit';

const reading = (readingId: string, value: number): Reading => ({
  readingId,
  patientId: 'p-1',
  deviceId: 'd-1',
  type: 'heartRate',
  unit: '/min',
  value,
  observedAt: '2026-12-08T00:00:00.000Z',
});

let server: Server;
let url: string;
/** What the fake gateway stores for p-1, served two records a page, and the submissions' statuses. */
let stored: { readingId: string; value: number; observedAt: string }[] = [];
let statuses: Record<string, string> = {};
const seenKeys: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seenKeys.push(String(req.headers['x-api-key']));
    const u = new URL(req.url ?? '/', 'http://x');
    res.setHeader('content-type', 'application/json');
    const submission = /^\/api\/v1\/submissions\/(.+)$/.exec(u.pathname);
    if (submission) {
      res.end(JSON.stringify({ data: { status: statuses[submission[1] ?? ''] ?? 'queued' } }));
      return;
    }
    const at = Number(u.searchParams.get('bookmark') || '0');
    const page = stored.slice(at, at + 2);
    res.end(JSON.stringify({ data: page, page: { bookmark: at + 2 < stored.length ? String(at + 2) : '' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const audit = (acknowledged: AcknowledgedReading[], settleMs = 1000) =>
  auditLedger(acknowledged, { gatewayUrl: url, nurseKey: 'nurse', senderKey: () => 'device', settleMs });

describe('auditLedger', () => {
  it('finds every acknowledged reading once, across pages, and counts the settled 202s', async () => {
    stored = [1, 2, 3].map((i) => ({ readingId: `r-${i}`, value: 70 + i, observedAt: 't' }));
    statuses = { s2: 'committed', s3: 'committed' };
    const result = await audit([
      { reading: reading('r-1', 71), how: 'committed', attempts: 1 },
      { reading: reading('r-2', 72), how: 'accepted', statusUrl: '/api/v1/submissions/s2', attempts: 2 },
      { reading: reading('r-3', 73), how: 'accepted', statusUrl: '/api/v1/submissions/s3', attempts: 1 },
    ]);
    expect(result).toMatchObject({
      acknowledged: 3,
      committedWhenAnswered: 1,
      acceptedThenCommitted: 2,
      acceptedUnsettled: 0,
      lost: [],
      doubled: [],
    });
    // Statuses asked as the sender, the ledger read as the nurse.
    expect(seenKeys).toContain('device');
    expect(seenKeys).toContain('nurse');
  });

  it('reports a reading missing, stored with other content, or stored twice, and a 202 that never settles', async () => {
    stored = [
      { readingId: 'r-1', value: 99, observedAt: 't' },
      { readingId: 'r-2', value: 72, observedAt: 't1' },
      { readingId: 'r-2', value: 72, observedAt: 't2' },
    ];
    statuses = {};
    const result = await audit(
      [
        { reading: reading('r-1', 71), how: 'committed', attempts: 1 },
        { reading: reading('r-2', 72), how: 'committed', attempts: 1 },
        { reading: reading('r-4', 74), how: 'accepted', statusUrl: '/api/v1/submissions/s4', attempts: 1 },
      ],
      300,
    );
    expect(result.lost).toEqual(['r-1', 'r-4']);
    expect(result.doubled).toEqual(['r-2']);
    expect(result.acceptedUnsettled).toBe(1);
  });
});
