import { mkdir } from 'node:fs/promises';
import { ClassicLevel } from 'classic-level';
import type { QueuedSubmission, SubmissionStatus } from './submission';

type Db = ClassicLevel<string, string>;
type Op = { type: 'put'; key: string; value: string } | { type: 'del'; key: string };

/** The intake's directory is held by another gateway process. */
export class IntakeLockedError extends Error {
  override readonly name = 'IntakeLockedError';
}

/** The intake cannot write to its disk (full, read-only, gone); it refuses new work until it can. */
export class IntakeWriteError extends Error {
  override readonly name = 'IntakeWriteError';
}

/** A queued submission with its place in the queue. */
export interface QueueEntry {
  readonly key: string;
  readonly submission: QueuedSubmission;
}

const queueKey = (seq: number) => `q!${String(seq).padStart(16, '0')}`;
const statusKey = (id: string) => `s!${id}`;
const expiryKey = (settledAtMs: number, id: string) => `e!${String(settledAtMs).padStart(15, '0')}!${id}`;
const reopenIntervalMs = 1000;

/**
 * The intake's disk: LevelDB (classic-level, the store the embedded network uses too; its binary
 * ships inside the npm package), one key space per kind of record:
 * - `q!<sequence>` a queued submission with its readings, in arrival order;
 * - `s!<submission id>` its status (ids only, no values), kept after it settles;
 * - `e!<settled at>!<id>` when a settled status may be forgotten.
 *
 * An append is written with `sync` (fsync) before it resolves, so what the gateway acknowledged
 * survives kill -9 and a power cut; appends that arrive while one is being written are written
 * together (group commit), so fsyncs do not bound the intake's rate. Settling is written without
 * sync: if it is lost in a crash the submission is simply sent again, and the ledger's
 * idempotency on reading ids answers it as the replay it is.
 */
export class IntakeStore {
  readonly #location: string;
  #db: Db;
  #seq = 0;
  #queuedReadings = 0;
  #pending: { ops: Op[]; resolve: () => void; reject: (err: Error) => void }[] = [];
  #writing = false;
  #broken: { error: Error; at: number } | undefined;

  private constructor(location: string, db: Db) {
    this.#location = location;
    this.#db = db;
  }

  /**
   * Opens (creating) the store in `location`.
   * @throws IntakeLockedError when another process has it open.
   */
  static async open(location: string): Promise<IntakeStore> {
    await mkdir(location, { recursive: true });
    const store = new IntakeStore(location, await openDb(location));
    await store.#recount();
    return store;
  }

  /** Readings queued and not yet settled. */
  get queuedReadings(): number {
    return this.#queuedReadings;
  }

  /** Why the store cannot write, while it cannot. */
  get problem(): string | undefined {
    return this.#broken?.error.message;
  }

  /**
   * Queues a submission; resolves once it is on disk (fsync).
   * @throws IntakeWriteError when the disk refuses the write (nothing was queued).
   */
  async append(submission: QueuedSubmission, status: SubmissionStatus): Promise<void> {
    await this.#usable();
    const key = queueKey(++this.#seq);
    this.#queuedReadings += submission.readings.length;
    try {
      await this.#write([
        { type: 'put', key, value: JSON.stringify(submission) },
        { type: 'put', key: statusKey(submission.submissionId), value: JSON.stringify({ ...status, key }) },
      ]);
    } catch (err) {
      this.#queuedReadings -= submission.readings.length;
      throw err;
    }
  }

  /** Up to `limit` queued submissions after `afterKey` (from the first when absent), oldest first. */
  async queued(limit: number, afterKey?: string): Promise<QueueEntry[]> {
    const out: QueueEntry[] = [];
    for await (const [key, value] of this.#db.iterator({ gt: afterKey ?? 'q!', lt: 'q"', limit })) {
      out.push({ key, submission: JSON.parse(value) as QueuedSubmission });
    }
    return out;
  }

  /** A submission's status, settled or queued. */
  async status(submissionId: string): Promise<SubmissionStatus | undefined> {
    const value = await this.#db.get(statusKey(submissionId));
    if (value === undefined) return undefined;
    const { key: _key, ...status } = JSON.parse(value) as SubmissionStatus & { key?: string };
    return status;
  }

  /** Takes a settled submission off the queue and records its outcome. */
  async settle(entry: QueueEntry, status: SubmissionStatus): Promise<void> {
    const settledAtMs = Date.parse(status.settledAt ?? new Date().toISOString());
    await this.#db.batch([
      { type: 'del', key: entry.key },
      { type: 'put', key: statusKey(status.submissionId), value: JSON.stringify(status) },
      { type: 'put', key: expiryKey(settledAtMs, status.submissionId), value: '' },
    ]);
    this.#queuedReadings -= entry.submission.readings.length;
  }

  /** Records another attempt of a queued submission (shown on its status URL). */
  async noteAttempt(entry: QueueEntry, status: SubmissionStatus): Promise<void> {
    await this.#db.put(statusKey(status.submissionId), JSON.stringify({ ...status, key: entry.key }));
  }

  /** Forgets statuses settled before `beforeMs`; answers how many. */
  async prune(beforeMs: number): Promise<number> {
    const ops: Op[] = [];
    for await (const key of this.#db.keys({ gt: 'e!', lt: expiryKey(beforeMs, '') })) {
      ops.push({ type: 'del', key }, { type: 'del', key: statusKey(key.slice(key.indexOf('!', 2) + 1)) });
    }
    if (ops.length > 0) await this.#db.batch(ops);
    return ops.length / 2;
  }

  async close(): Promise<void> {
    await this.#db.close();
  }

  async #write(ops: Op[]): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#pending.push({ ops, resolve, reject });
      void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    if (this.#writing) return;
    this.#writing = true;
    try {
      while (this.#pending.length > 0) {
        const group = this.#pending.splice(0);
        try {
          await this.#db.batch(
            group.flatMap((g) => g.ops),
            { sync: true },
          );
          for (const g of group) g.resolve();
        } catch (err) {
          this.#broken = { error: writeError(this.#location, err), at: Date.now() };
          for (const g of group) g.reject(this.#broken.error);
        }
      }
    } finally {
      this.#writing = false;
    }
  }

  /**
   * After a failed write LevelDB refuses every later one; once a second the store is opened
   * again (which works once the disk has room), else the last error is thrown at once.
   */
  async #usable(): Promise<void> {
    const broken = this.#broken;
    if (broken === undefined) return;
    if (Date.now() - broken.at < reopenIntervalMs) throw broken.error;
    this.#broken = { ...broken, at: Date.now() };
    try {
      await this.#db.close();
      this.#db = await openDb(this.#location);
      await this.#recount();
      this.#broken = undefined;
    } catch (err) {
      this.#broken = { error: writeError(this.#location, err), at: Date.now() };
      throw this.#broken.error;
    }
  }

  async #recount(): Promise<void> {
    let readings = 0;
    let last: string | undefined;
    for await (const [key, value] of this.#db.iterator({ gt: 'q!', lt: 'q"' })) {
      readings += (JSON.parse(value) as QueuedSubmission).readings.length;
      last = key;
    }
    this.#queuedReadings = readings;
    this.#seq = Math.max(this.#seq, last === undefined ? 0 : Number(last.slice(2)));
  }
}

async function openDb(location: string): Promise<Db> {
  const db = new ClassicLevel<string, string>(location, { keyEncoding: 'utf8', valueEncoding: 'utf8' });
  try {
    await db.open({ createIfMissing: true });
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause;
    if ((err as { code?: string }).code === 'LEVEL_LOCKED' || /lock/i.test(cause?.message ?? '')) {
      throw new IntakeLockedError(
        `the intake store ${location} is in use by another gateway process; ` +
          'stop it, or give this gateway its own data directory',
        { cause: err },
      );
    }
    throw new IntakeWriteError(`cannot open the intake store ${location}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return db;
}

function writeError(location: string, err: unknown): Error {
  if (err instanceof IntakeWriteError) return err;
  const cause = (err as { cause?: { message?: string } }).cause?.message;
  return new IntakeWriteError(
    `the intake store ${location} cannot write (${cause ?? (err as Error).message})`,
    { cause: err },
  );
}
