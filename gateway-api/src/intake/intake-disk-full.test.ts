import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillDisk, mountSmallDisk, unmountSmallDisk } from '@careledger/fabric-toolkit';
import { sampleReading } from '../testing/sample-reading';
import { IntakeStore, IntakeWriteError } from './intake-store';
import { queuedStatus, type QueuedSubmission } from './submission';

/*
 * A full disk, for real: the intake's directory is on a small tmpfs, filled up by a file beside
 * it. Mounting needs root (CI runs as root); without it this suite fails saying so.
 */
const mountPoint = mkdtempSync(join(tmpdir(), 'intake-disk-full-'));

const submission = (n: number): QueuedSubmission => ({
  submissionId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  identity: 'a-device',
  mspId: 'HospitalAMSP',
  batch: true,
  // Large enough that a few fill LevelDB's write buffer and its log grows on disk.
  readings: Array.from({ length: 50 }, (_, i) => ({
    ...sampleReading,
    readingId: `r-${n}-${i}-${'x'.repeat(60)}`,
  })),
  acceptedAt: new Date().toISOString(),
});

beforeAll(() => {
  const problem = mountSmallDisk(mountPoint, 16);
  if (problem !== undefined) throw new Error(`this suite fills a real disk: ${problem}`);
});

afterAll(() => {
  unmountSmallDisk(mountPoint);
  rmSync(mountPoint, { recursive: true, force: true });
});

it('refuses appends while the disk is full, keeps what it acknowledged, and writes again once there is room', async () => {
  const store = await IntakeStore.open(join(mountPoint, 'intake'));
  const acknowledged: QueuedSubmission[] = [];
  for (let n = 0; n < 3; n++) {
    const s = submission(n);
    await store.append(s, queuedStatus(s));
    acknowledged.push(s);
  }
  const filler = fillDisk(mountPoint);
  let refused: unknown;
  for (let n = 3; n < 5000 && refused === undefined; n++) {
    const s = submission(n);
    try {
      await store.append(s, queuedStatus(s));
      acknowledged.push(s);
    } catch (err) {
      refused = err;
    }
  }
  expect(refused).toBeInstanceOf(IntakeWriteError);
  expect((refused as Error).message).toMatch(/^the intake store .* cannot write \(.*\)$/);
  expect(store.problem).toBeDefined();
  // Refused at once while it stays full (no reopen within a second of the failure).
  const again = await store.append(submission(9000), queuedStatus(submission(9000))).catch((e: unknown) => e);
  expect(again).toBeInstanceOf(IntakeWriteError);

  rmSync(filler);
  await new Promise((r) => setTimeout(r, 1100));
  const after = submission(9001);
  await store.append(after, queuedStatus(after));
  expect(store.problem).toBeUndefined();
  await store.close();

  // Everything acknowledged is there after a restart, in order, and the late one after it.
  const reopened = await IntakeStore.open(join(mountPoint, 'intake'));
  const queued = await reopened.queued(100_000);
  const ids = queued.map((q) => q.submission.submissionId);
  expect(ids.slice(0, acknowledged.length)).toEqual(acknowledged.map((s) => s.submissionId));
  expect(ids[ids.length - 1]).toBe(after.submissionId);
  expect(reopened.queuedReadings).toBe(queued.reduce((n, q) => n + q.submission.readings.length, 0));
  await reopened.close();
});
