/**
 * Whether the store may be written. After a failed write nothing more is written until the
 * store has been reopened (`reopenLedgerDb`): LevelDB may refuse writes until then, and a write
 * after a torn log record could be dropped with it at the next open.
 */
export class WriteGuard {
  #failure: Error | undefined;

  get failure(): Error | undefined {
    return this.#failure;
  }

  fail(err: unknown): void {
    this.#failure ??= err instanceof Error ? err : new Error(String(err));
  }

  clear(): void {
    this.#failure = undefined;
  }
}
