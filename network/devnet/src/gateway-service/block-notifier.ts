import type { Ledger, TxStatus } from '../ledger/ledger';

/**
 * Wakes CommitStatus calls and event streams when blocks commit. Waiters are removed when
 * they resolve or their call ends, so nothing grows with the number of transactions.
 */
export class BlockNotifier {
  readonly #ledger: Ledger;
  readonly #txWaiters = new Map<string, Set<(status: TxStatus) => void>>();
  readonly #heightWaiters = new Set<() => void>();
  readonly #unsubscribe: () => void;

  constructor(ledger: Ledger) {
    this.#ledger = ledger;
    this.#unsubscribe = ledger.onBlock((block) => {
      for (const tx of block.transactions) {
        const waiters = this.#txWaiters.get(tx.txId);
        if (waiters === undefined) continue;
        this.#txWaiters.delete(tx.txId);
        // The first committed copy answers, also when this block holds a later duplicate.
        const status = ledger.getTxStatus(tx.txId) ?? {
          txId: tx.txId,
          code: tx.code,
          blockNumber: block.number,
        };
        for (const resolve of waiters) resolve(status);
      }
      const heightWaiters = [...this.#heightWaiters];
      this.#heightWaiters.clear();
      for (const wake of heightWaiters) wake();
    });
  }

  /** The transaction's commit status, waiting for its block if needed; rejects when `signal` aborts. */
  waitForTx(txId: string, signal: AbortSignal): Promise<TxStatus> {
    return new Promise((resolve, reject) => {
      let waiters = this.#txWaiters.get(txId);
      if (waiters === undefined) {
        waiters = new Set();
        this.#txWaiters.set(txId, waiters);
      }
      const waiter = (status: TxStatus): void => {
        signal.removeEventListener('abort', onAbort);
        resolve(status);
      };
      const onAbort = (): void => {
        const set = this.#txWaiters.get(txId);
        set?.delete(waiter);
        if (set?.size === 0) this.#txWaiters.delete(txId);
        reject(new Error('cancelled'));
      };
      waiters.add(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
      const committed = this.#ledger.getTxStatus(txId);
      if (committed !== undefined) {
        waiters.delete(waiter);
        if (waiters.size === 0) this.#txWaiters.delete(txId);
        waiter(committed);
      } else if (signal.aborted) onAbort();
    });
  }

  /** Resolves once the ledger height exceeds `height`, or when `signal` aborts. */
  waitForHeight(height: bigint, signal: AbortSignal): Promise<void> {
    if (this.#ledger.height() > height || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        signal.removeEventListener('abort', onAbort);
        this.#heightWaiters.delete(wake);
        resolve();
      };
      const onAbort = (): void => wake();
      this.#heightWaiters.add(wake);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Outstanding waiters (for tests and metrics). */
  get waiting(): number {
    let count = this.#heightWaiters.size;
    for (const set of this.#txWaiters.values()) count += set.size;
    return count;
  }

  close(): void {
    this.#unsubscribe();
  }
}
