import type { ChaincodeEvent, CloseableAsyncIterable } from '@hyperledger/fabric-gateway';
import type { CallRequest, CallResult, LedgerClient, TransactionStatus } from '../ledger/ledger-client';

/** A LedgerClient for route tests: records calls and answers with a scripted function. */
export class FakeLedgerClient implements LedgerClient {
  readonly calls: CallRequest[] = [];
  answer: (request: CallRequest) => unknown = () => ({ ok: true });

  async call(request: CallRequest): Promise<CallResult> {
    this.calls.push(request);
    const value = this.answer(request);
    const payload = Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
    if (request.async)
      return { payload, transactionId: 'a'.repeat(64), pending: true, timings: { attempts: 1 } };
    return {
      payload,
      transactionId: 'b'.repeat(64),
      blockNumber: 7n,
      timings: { attempts: 1, endorseMs: 1, submitMs: 1, commitMs: 2 },
    };
  }

  async status(_identity: string, transactionId: string): Promise<TransactionStatus> {
    return { transactionId, committed: true, valid: true, code: 0, blockNumber: 7n };
  }

  async events(): Promise<CloseableAsyncIterable<ChaincodeEvent>> {
    const events: ChaincodeEvent[] = [];
    const iterator = (async function* () {
      yield* events;
    })();
    return Object.assign(iterator, { close: () => undefined, [Symbol.dispose]: () => undefined });
  }

  async ready(): Promise<void> {}
  close(): void {}
}
