import type { ChaincodeEvent, CloseableAsyncIterable } from '@hyperledger/fabric-gateway';
import type {
  CallRequest,
  CallResult,
  EventCheckpoint,
  LedgerClient,
  PrivateDataBlock,
  TransactionStatus,
} from '../ledger/ledger-client';

/** A receipt as the chaincode answers a write, for the caller's organisation. */
export function fakeReceipt(
  request: Pick<CallRequest, 'mspId'>,
  extra: Record<string, unknown> = {},
): unknown {
  return {
    id: 'id-1',
    custodianMspId: request.mspId,
    at: '2026-11-22T10:00:00.000Z',
    by: { mspId: request.mspId, role: 'nurse', id: 'x509::/CN=test' },
    txId: 'b'.repeat(64),
    replayed: false,
    ...extra,
  };
}

/**
 * A LedgerClient for tests: records calls and answers with a scripted function (a promise
 * holds the call open until it settles; by default a receipt, with `ok: true`); events come
 * from `emit` (live) after `backlog` (already on the ledger), from the checkpoint on.
 */
export class FakeLedgerClient implements LedgerClient {
  readonly calls: CallRequest[] = [];
  readonly eventRequests: { identity: string; resume?: EventCheckpoint }[] = [];
  answer: (request: CallRequest) => unknown = (request) => fakeReceipt(request, { ok: true });
  status$: (transactionId: string) => TransactionStatus = (transactionId) => ({
    transactionId,
    committed: true,
    valid: true,
    code: 0,
    blockNumber: 7n,
  });
  backlog: ChaincodeEvent[] = [];
  readonly #listeners = new Set<(event: ChaincodeEvent | undefined) => void>();
  closedStreams = 0;
  /** Set by `close()`; `callsOpenAtClose` counts calls that had not returned by then. */
  closed = false;
  callsOpenAtClose = 0;
  #openCalls = 0;

  async call(request: CallRequest): Promise<CallResult> {
    this.calls.push(request);
    this.#openCalls += 1;
    let value: unknown;
    try {
      value = await this.answer(request);
    } finally {
      this.#openCalls -= 1;
    }
    const payload = Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
    if (request.alreadyOnLedger?.(payload) === true) {
      return { payload, alreadyOnLedger: true, timings: { attempts: 1, endorseMs: 1 } };
    }
    if (request.async) {
      return { payload, transactionId: 'a'.repeat(64), pending: true, timings: { attempts: 1 } };
    }
    return {
      payload,
      transactionId: 'b'.repeat(64),
      blockNumber: 7n,
      timings: { attempts: 1, endorseMs: 1, submitMs: 1, commitMs: 2 },
    };
  }

  async status(_identity: string, transactionId: string): Promise<TransactionStatus> {
    return this.status$(transactionId);
  }

  /** Deliver a live event to every open stream; `undefined` ends them (the ledger went away). */
  emit(event: ChaincodeEvent | undefined): void {
    for (const listener of this.#listeners) listener(event);
  }

  async events(identity: string, resume?: EventCheckpoint): Promise<CloseableAsyncIterable<ChaincodeEvent>> {
    this.eventRequests.push({ identity, resume });
    const queue: (ChaincodeEvent | undefined)[] = this.backlog.filter(
      (e) =>
        !resume ||
        e.blockNumber > resume.blockNumber ||
        (e.blockNumber === resume.blockNumber && afterTx(this.backlog, e, resume)),
    );
    let wake: (() => void) | undefined;
    const listener = (event: ChaincodeEvent | undefined) => {
      queue.push(event);
      wake?.();
    };
    this.#listeners.add(listener);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      this.closedStreams += 1;
      this.#listeners.delete(listener);
      wake?.();
    };
    const iterator = (async function* () {
      while (!closed) {
        if (queue.length === 0) {
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        const next = queue.shift();
        if (next === undefined) return;
        yield next;
      }
    })();
    return Object.assign(iterator, { close, [Symbol.dispose]: close });
  }

  readonly privateRequests: { identity: string; startBlock?: bigint }[] = [];
  readonly #privateListeners = new Set<(block: PrivateDataBlock | Error) => void>();
  openPrivateStreams = 0;
  /** Refuse the next privateData calls with this error (then answer again). */
  privateDataError: Error | undefined;

  /** Deliver a block with private data to every open stream; an Error breaks them. */
  emitPrivate(block: PrivateDataBlock | Error): void {
    for (const listener of [...this.#privateListeners]) listener(block);
  }

  async privateData(
    identity: string,
    startBlock?: bigint,
  ): Promise<CloseableAsyncIterable<PrivateDataBlock>> {
    this.privateRequests.push({ identity, startBlock });
    if (this.privateDataError !== undefined) throw this.privateDataError;
    const queue: (PrivateDataBlock | Error)[] = [];
    let wake: (() => void) | undefined;
    const listener = (block: PrivateDataBlock | Error) => {
      queue.push(block);
      wake?.();
    };
    this.#privateListeners.add(listener);
    this.openPrivateStreams += 1;
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      this.openPrivateStreams -= 1;
      this.#privateListeners.delete(listener);
      wake?.();
    };
    const iterator = (async function* () {
      try {
        while (!closed) {
          const next = queue.shift();
          if (next === undefined) {
            await new Promise<void>((resolve) => (wake = resolve));
            continue;
          }
          if (next instanceof Error) throw next;
          yield next;
        }
      } finally {
        close();
      }
    })();
    return Object.assign(iterator, { close, [Symbol.dispose]: close });
  }

  async ready(): Promise<void> {}
  close(): void {
    this.closed = true;
    this.callsOpenAtClose = this.#openCalls;
  }
}

/** Fabric's checkpoint rule within a block: only events after the checkpointed transaction's. */
function afterTx(all: readonly ChaincodeEvent[], e: ChaincodeEvent, resume: EventCheckpoint): boolean {
  if (resume.transactionId === undefined) return true;
  const inBlock = all.filter((x) => x.blockNumber === e.blockNumber);
  const at = inBlock.findIndex((x) => x.transactionId === resume.transactionId);
  return at >= 0 && inBlock.indexOf(e) > at;
}
