import {
  latestNews2Observations,
  news2Aggregate,
  type News2Aggregate,
  type News2Risk,
  type VitalFlag,
  type VitalType,
} from '@careledger/contract';

/** A stored reading as the REST API answers it, as far as the ward view needs it. */
export interface WardReading {
  readonly readingId: string;
  readonly patientId: string;
  readonly deviceId?: string;
  readonly type: VitalType;
  readonly value?: number;
  readonly systolic?: number;
  readonly diastolic?: number;
  readonly unit: string;
  readonly observedAt: string;
  readonly recordedAt: string;
  readonly news2Score: number;
  readonly flag: VitalFlag;
}

export interface WardPatient {
  readonly patientId: string;
  readonly name?: string;
}

/** One row of the ward view: a patient, its latest reading per type, and its aggregate NEWS2. */
export interface WardRow {
  readonly patientId: string;
  readonly name?: string;
  readonly latest: Readonly<Partial<Record<VitalType, WardReading>>>;
  readonly aggregate: News2Aggregate;
  /** Why this patient's vitals could not be read (the ledger's answer), if they could not. */
  readonly error?: string;
}

const riskRank: Readonly<Record<News2Risk, number>> = { high: 3, medium: 2, 'low-medium': 1, low: 0 };

/**
 * Highest risk first, then the higher total; patients whose vitals cannot be read, or that have
 * no reading at all, after those with readings; then by id.
 */
export function compareRows(a: WardRow, b: WardRow): number {
  const unreadable = Number(a.error !== undefined) - Number(b.error !== undefined);
  if (unreadable !== 0) return unreadable;
  return (
    riskRank[b.aggregate.risk] - riskRank[a.aggregate.risk] ||
    b.aggregate.total - a.aggregate.total ||
    Number(Object.keys(a.latest).length === 0) - Number(Object.keys(b.latest).length === 0) ||
    a.patientId.localeCompare(b.patientId)
  );
}

/**
 * What the ward view knows: its patients and the latest reading of each type per patient, fed by
 * the REST API's reads and the event stream in any order (a reading is kept only if observed
 * after the one held). Pure state; `rows(now)` scores it with the contract's `news2Aggregate`.
 */
export class WardModel {
  readonly #patients = new Map<string, WardPatient>();
  readonly #latest = new Map<string, Map<VitalType, WardReading>>();
  readonly #errors = new Map<string, string>();
  readonly #maxAgeMs: number | undefined;

  constructor(options: Readonly<{ maxAgeMs?: number }> = {}) {
    this.#maxAgeMs = options.maxAgeMs;
  }

  /** The patients of the ward (their readings are kept; patients no longer listed are dropped). */
  setPatients(patients: readonly WardPatient[]): void {
    const ids = new Set(patients.map((p) => p.patientId));
    for (const id of [...this.#patients.keys()]) {
      if (!ids.has(id)) {
        this.#patients.delete(id);
        this.#latest.delete(id);
        this.#errors.delete(id);
      }
    }
    for (const p of patients) this.#patients.set(p.patientId, { ...this.#patients.get(p.patientId), ...p });
  }

  patientIds(): string[] {
    return [...this.#patients.keys()];
  }

  has(patientId: string): boolean {
    return this.#patients.has(patientId);
  }

  /** The patient's name if known, else its id. */
  nameOf(patientId: string): string {
    return this.#patients.get(patientId)?.name ?? patientId;
  }

  /** Adds readings of ward patients; answers whether the latest of any type changed. */
  addReadings(readings: Iterable<WardReading>): boolean {
    let changed = false;
    for (const r of readings) {
      if (!this.#patients.has(r.patientId)) continue;
      this.#errors.delete(r.patientId);
      const byType = this.#latest.get(r.patientId) ?? new Map<VitalType, WardReading>();
      this.#latest.set(r.patientId, byType);
      const held = byType.get(r.type);
      if (held?.readingId === r.readingId) continue;
      if (held === undefined || Date.parse(r.observedAt) >= Date.parse(held.observedAt)) {
        byType.set(r.type, r);
        changed = true;
      }
    }
    return changed;
  }

  /** Whether the ledger refused this patient's vitals to the caller. */
  unreadable(patientId: string): boolean {
    return this.#errors.has(patientId);
  }

  /** Records that a patient's vitals could not be read, and why. */
  setError(patientId: string, message: string): void {
    if (this.#patients.has(patientId)) this.#errors.set(patientId, message);
  }

  /** The rows at `now`, sorted by `compareRows`. */
  rows(now: number): WardRow[] {
    const rows = [...this.#patients.values()].map((p): WardRow => {
      const latest = Object.fromEntries(this.#latest.get(p.patientId) ?? []) as Partial<
        Record<VitalType, WardReading>
      >;
      const aggregate = news2Aggregate(latestNews2Observations(Object.values(latest)), {
        now,
        ...(this.#maxAgeMs === undefined ? {} : { maxAgeMs: this.#maxAgeMs }),
      });
      const error = this.#errors.get(p.patientId);
      return {
        patientId: p.patientId,
        ...(p.name === undefined ? {} : { name: p.name }),
        latest,
        aggregate,
        ...(error === undefined ? {} : { error }),
      };
    });
    return rows.sort(compareRows);
  }
}
