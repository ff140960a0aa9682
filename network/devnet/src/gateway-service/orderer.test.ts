import pino from 'pino';
import type { CommittedBlock, Ledger } from '../ledger/ledger';
import { MessageTooLargeError, Orderer, OrdererBusyError } from './orderer';

/** A ledger whose commits take `commitMs` and record the blocks they were given. */
function fakeLedger(commitMs: number): { ledger: Ledger; blocks: string[][] } {
  const blocks: string[][] = [];
  const ledger = {
    commitBlock: async (envelopes: readonly Buffer[]): Promise<CommittedBlock> => {
      blocks.push(envelopes.map((e) => e.toString()));
      await new Promise((resolve) => setTimeout(resolve, commitMs));
      return { number: BigInt(blocks.length), transactions: [] };
    },
  } as unknown as Ledger;
  return { ledger, blocks };
}

const logger = pino({ level: 'silent' });
const tx = (name: string): Buffer => Buffer.from(name);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('Orderer', () => {
  it('cuts a partial block batchTimeoutMs after its first transaction, so what arrives meanwhile shares it', async () => {
    const { ledger, blocks } = fakeLedger(1);
    const orderer = new Orderer({ ledger, logger, batchTimeoutMs: 60 });
    orderer.enqueue(tx('a'));
    await sleep(20);
    orderer.enqueue(tx('b'));
    expect(blocks).toEqual([]);
    await sleep(80);
    expect(blocks).toEqual([['a', 'b']]);
    // The timer starts again with the next block's first transaction.
    orderer.enqueue(tx('c'));
    await sleep(20);
    expect(blocks).toHaveLength(1);
    await sleep(80);
    expect(blocks).toEqual([['a', 'b'], ['c']]);
    await orderer.stop();
  });

  it('cuts at maxMessageCount at once, without waiting for the timeout', async () => {
    const { ledger, blocks } = fakeLedger(1);
    const orderer = new Orderer({ ledger, logger, maxMessageCount: 2, batchTimeoutMs: 10_000 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) orderer.enqueue(tx(name));
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
    orderer.enqueue(tx('aaaa'));
    orderer.enqueue(tx('bbbb'));
    orderer.enqueue(tx('cccc')); // 12 bytes would pass 10: aaaa+bbbb are cut first
    orderer.enqueue(tx('x'.repeat(30))); // larger than a preferred block: cccc, then it alone
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
    orderer.enqueue(tx('a'));
    await sleep(15); // [a] is committing
    orderer.enqueue(tx('b'));
    await sleep(15); // [b] is cut, waiting for [a]'s commit
    orderer.enqueue(tx('c'));
    await orderer.stop();
    expect(blocks).toEqual([['a'], ['b'], ['c']]);
  });

  it('refuses submits beyond maxPending and after stop', async () => {
    const { ledger } = fakeLedger(50);
    const orderer = new Orderer({ ledger, logger, maxPending: 1 });
    orderer.enqueue(tx('a'));
    expect(() => orderer.enqueue(tx('b'))).toThrow(OrdererBusyError);
    await orderer.stop();
    expect(() => orderer.enqueue(tx('c'))).toThrow('the ordering service is stopped');
  });

  it('rejects invalid batch settings', () => {
    const { ledger } = fakeLedger(1);
    expect(() => new Orderer({ ledger, logger, maxMessageCount: 0 })).toThrow('maxMessageCount');
    expect(() => new Orderer({ ledger, logger, preferredMaxBytes: 20, absoluteMaxBytes: 10 })).toThrow(
      'preferredMaxBytes',
    );
  });
});
