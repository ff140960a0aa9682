import type { Reading } from '../device/reading';

/** How the gateway acknowledged a reading: 201/200 (committed when answered) or 202 (on its disk). */
export type Acknowledgement = 'committed' | 'accepted';

export interface AcknowledgedReading {
  readonly reading: Reading;
  readonly how: Acknowledgement;
  /** For 202: where its outcome is polled. */
  readonly statusUrl?: string;
  /** Sends it took until acknowledged (1 = the first). */
  readonly attempts: number;
}

/** Every reading the gateway acknowledged during a fault run, and what was refused or lost on the way. */
export class AcknowledgedReadings {
  readonly #acknowledged = new Map<string, AcknowledgedReading>();
  readonly #failures = new Map<string, number>();
  #sent = 0;
  #resends = 0;

  sent(resend: boolean): void {
    this.#sent += 1;
    if (resend) this.#resends += 1;
  }

  failed(code: string): void {
    this.#failures.set(code, (this.#failures.get(code) ?? 0) + 1);
  }

  acknowledged(entry: AcknowledgedReading): void {
    this.#acknowledged.set(entry.reading.readingId, entry);
  }

  get all(): readonly AcknowledgedReading[] {
    return [...this.#acknowledged.values()];
  }

  /** Counts so far: requests sent (resends included), acknowledged by kind, failures by code. */
  snapshot(): {
    sent: number;
    resends: number;
    committed: number;
    accepted: number;
    failures: Record<string, number>;
  } {
    let committed = 0;
    for (const a of this.#acknowledged.values()) if (a.how === 'committed') committed += 1;
    return {
      sent: this.#sent,
      resends: this.#resends,
      committed,
      accepted: this.#acknowledged.size - committed,
      failures: Object.fromEntries([...this.#failures].sort(([a], [b]) => a.localeCompare(b))),
    };
  }
}
