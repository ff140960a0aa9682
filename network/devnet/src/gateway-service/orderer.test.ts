import pino from 'pino';
import type { CommittedBlock, Ledger } from '../ledger/ledger';
import { LedgerWriteError } from '../ledger/ledger-write-error';
import { MessageTooLargeError, Orderer, OrdererBusyError, OrdererUnavailableError } from './orderer';

/**
 * A ledger whose commits take `commitMs` and record the blocks written. `failWrites` makes the
 * next writes fail (`lands`: the failed write reached the disk after all, as a torn-looking
 * write whose record was complete), `failRecoveries` the next reopenings.
 */
function fakeLedger(commitMs: number) {
  const blocks: string[][] = [];
  const attempts: string[][] = [];
  const faults = { failWrites: 0, lands: false, failRecoveries: 0 };
  let failure: Error | undefined;
  let landed: string[] | undefined;
  const ledger = {
    height: () => BigInt(blocks.length),
    writeFailure: () => failure,
    recover: async (): Promise<void> => {
      if (failure === undefined) return;
      if (faults.failRecoveries > 0) {
        faults.failRecoveries -= 1;
        throw new LedgerWriteError('the disk is still full');
      }
      if (landed !== undefined) blocks.push(landed);
      landed = undefined;
      failure = undefined;
    },
    commitBlock: async (envelopes: readonly Buffer[]): Promise<CommittedBlock> => {
      const names = envelopes.map((e) => e.toString());
      attempts.push(names);
      await new Promise((resolve) => setTimeout(resolve, commitMs));
      if (failure !== undefined) throw new LedgerWriteError('the ledger stopped writing');
      if (faults.failWrites > 0) {
        faults.failWrites -= 1;
        failure = new Error('ENOSPC: no space left on device');
        if (faults.lands) landed = names;
        throw new LedgerWriteError(`could not write block ${blocks.length}: ${failure.message}`);
      }
      blocks.push(names);
      return { number: BigInt(blocks.length - 1), transactions: [] };
    },
  } as unknown as Ledger;
  return { ledger, blocks, attempts, faults };
}

/** Resolves to 'written' or 'rejected' once the promise settles, 'waiting' if it has not within `ms`. */
async function stateAfter(promise: Promise<void>, ms: number): Promise<string> {
  return Promise.race([
    promise.then(
      () => 'written',
      () => 'rejected',
    ),
    sleep(ms).then(() => 'waiting'),
  ]);
}

const logger = pino({ level: 'silent' });
const tx = (name: string): Buffer => Buffer.from(name);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('Orderer', () => {
  it('cuts a partial block batchTimeoutMs after its first transaction, so what arrives meanwhile shares it', async () => {
    const { ledger, blocks } = fakeLedger(1);
    const orderer = new Orderer({ ledger, logger, batchTimeoutMs: 60 });
    void orderer.enqueue(tx('a'));
    await sleep(20);
    void orderer.enqueue(tx('b'));
    expect(blocks).toEqual([]);
    await sleep(80);
    expect(blocks).toEqual([['a', 'b']]);
    // The timer starts again with the next block's first transaction.
    void orderer.enqueue(tx('c'));
    await sleep(20);
    expect(blocks).toHaveLength(1);
    await sleep(80);
    expect(blocks).toEqual([['a', 'b'], ['c']]);
    await orderer.stop();
  });

  it('cuts at maxMessageCount at once, without waiting for the timeout', async () => {
    const { ledger, blocks } = fakeLedger(1);
    const orderer = new Orderer({ ledger, logger, maxMessageCount: 2, batchTimeoutMs: 10_000 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) void orderer.enqueue(tx(name));
    await sleep(20);
    expect(blocks).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    await orderer.stop();
    expect(blocks).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('cuts before a block passes preferredMaxBytes, and gives a larger transaction a block of its own', async () => {
    const { ledger, blocks } = fakeLedger(1);
    const orderer = new Orderer({
      ledger,
      logger,
      preferredMaxBytes: 10,
      absoluteMaxBytes: 100,
      batchTimeoutMs: 10_000,
    });
    void orderer.enqueue(tx('aaaa'));
    void orderer.enqueue(tx('bbbb'));
    void orderer.enqueue(tx('cccc')); // 12 bytes would pass 10: aaaa+bbbb are cut first
    void orderer.enqueue(tx('x'.repeat(30))); // larger than a preferred block: cccc, then it alone
    await sleep(20);
    expect(blocks).toEqual([['aaaa', 'bbbb'], ['cccc'], ['x'.repeat(30)]]);
    await orderer.stop();
  });

  it("refuses a transaction past absoluteMaxBytes in Fabric's words", async () => {
    const { ledger, blocks } = fakeLedger(1);
    const orderer = new Orderer({ ledger, logger, preferredMaxBytes: 10, absoluteMaxBytes: 20 });
    expect(() => orderer.enqueue(tx('y'.repeat(21)))).toThrow(new MessageTooLargeError(21, 20));
    expect(() => orderer.enqueue(tx('y'.repeat(21)))).toThrow(
      'message payload is 21 bytes and exceeds maximum allowed 20 bytes',
    );
    await orderer.stop();
    expect(blocks).toEqual([]);
  });

  it('commits the blocks it cut one at a time, in order, and cuts on while one commits', async () => {
    const { ledger, blocks } = fakeLedger(40);
    const orderer = new Orderer({ ledger, logger, batchTimeoutMs: 5 });
    void orderer.enqueue(tx('a'));
    await sleep(15); // [a] is committing
    void orderer.enqueue(tx('b'));
    await sleep(15); // [b] is cut, waiting for [a]'s commit
    void orderer.enqueue(tx('c'));
    await orderer.stop();
    expect(blocks).toEqual([['a'], ['b'], ['c']]);
  });

  it('refuses submits beyond maxPending and after stop', async () => {
    const { ledger } = fakeLedger(50);
    const orderer = new Orderer({ ledger, logger, maxPending: 1 });
    void orderer.enqueue(tx('a'));
    expect(() => orderer.enqueue(tx('b'))).toThrow(OrdererBusyError);
    await orderer.stop();
    expect(() => orderer.enqueue(tx('c'))).toThrow('the ordering service is stopped');
  });

  it('acknowledges a transaction only once its block is written', async () => {
    const { ledger, blocks } = fakeLedger(60);
    const orderer = new Orderer({ ledger, logger, batchTimeoutMs: 1 });
    const written = orderer.enqueue(tx('a'));
    expect(await stateAfter(written, 30)).toBe('waiting'); // cut and committing, not yet written
    expect(blocks).toEqual([]);
    expect(await stateAfter(written, 100)).toBe('written');
    expect(blocks).toEqual([['a']]);
    await orderer.stop();
  });

  it('after a failed write refuses new transactions at once, keeps the failed block and retries it until it is written', async () => {
    const { ledger, blocks, attempts, faults } = fakeLedger(1);
    faults.failWrites = 1;
    faults.failRecoveries = 2;
    const orderer = new Orderer({ ledger, logger, batchTimeoutMs: 1, retryMaxMs: 20 });
    const a = orderer.enqueue(tx('a'));
    await sleep(20);
    expect(orderer.failure?.message).toContain('ENOSPC');
    expect(() => orderer.enqueue(tx('b'))).toThrow(OrdererUnavailableError);
    expect(() => orderer.enqueue(tx('b'))).toThrow(
      /^the ledger cannot write blocks \(could not write block 0: ENOSPC: no space left on device\); new transactions are refused until it can$/,
    );
    expect(await stateAfter(a, 5)).toBe('waiting');
    // Two reopenings fail (the disk is still full), the third works and the same block is written.
    expect(await stateAfter(a, 1000)).toBe('written');
    expect(blocks).toEqual([['a']]);
    expect(attempts).toEqual([['a'], ['a']]);
    expect(orderer.failure).toBeUndefined();
    const c = orderer.enqueue(tx('c'));
    expect(await stateAfter(c, 500)).toBe('written');
    expect(blocks).toEqual([['a'], ['c']]);
    await orderer.stop();
  });

  it('keeps the blocks queued behind a failed one and writes them after it, in order', async () => {
    const { ledger, blocks, faults } = fakeLedger(1);
    faults.failWrites = 1;
    const orderer = new Orderer({ ledger, logger, maxMessageCount: 1, retryMaxMs: 20 });
    const all = ['a', 'b', 'c'].map((name) => orderer.enqueue(tx(name)));
    await Promise.all(all);
    expect(blocks).toEqual([['a'], ['b'], ['c']]);
    await orderer.stop();
  });

  it('adopts a failed write that reached the disk after all, without writing the block twice', async () => {
    const { ledger, blocks, attempts, faults } = fakeLedger(1);
    faults.failWrites = 1;
    faults.lands = true;
    const orderer = new Orderer({ ledger, logger, batchTimeoutMs: 1, retryMaxMs: 20 });
    expect(await stateAfter(orderer.enqueue(tx('a')), 1000)).toBe('written');
    expect(blocks).toEqual([['a']]);
    expect(attempts).toEqual([['a']]);
    await orderer.stop();
  });

  it('stopped while the ledger cannot write, rejects what it never acknowledged instead of waiting for the disk', async () => {
    const { ledger, blocks, faults } = fakeLedger(1);
    faults.failWrites = 1;
    faults.failRecoveries = 1000;
    const orderer = new Orderer({ ledger, logger, batchTimeoutMs: 1, retryMaxMs: 20 });
    const a = orderer.enqueue(tx('a'));
    await sleep(30);
    await orderer.stop();
    await expect(a).rejects.toThrow('the ordering service stopped before the block could be written');
    expect(blocks).toEqual([]);
  });

  it('rejects invalid batch settings', () => {
    const { ledger } = fakeLedger(1);
    expect(() => new Orderer({ ledger, logger, maxMessageCount: 0 })).toThrow('maxMessageCount');
    expect(() => new Orderer({ ledger, logger, preferredMaxBytes: 20, absoluteMaxBytes: 10 })).toThrow(
      'preferredMaxBytes',
    );
  });
});
