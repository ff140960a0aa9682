import pino from 'pino';
import type { CommittedBlock, Ledger } from '../ledger/ledger';
import { Orderer, OrdererBusyError } from './orderer';

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
  it('cuts a block at once when the committer is idle, and batches what arrives during a commit', async () => {
    const { ledger, blocks } = fakeLedger(30);
    const orderer = new Orderer({ ledger, logger });
    orderer.enqueue(tx('a'));
    await sleep(5);
    orderer.enqueue(tx('b'));
    orderer.enqueue(tx('c'));
    await orderer.stop();
    expect(blocks).toEqual([['a'], ['b', 'c']]);
  });

  it('puts submits of the same turn in one block', async () => {
    const { ledger, blocks } = fakeLedger(1);
    const orderer = new Orderer({ ledger, logger });
    for (const name of ['a', 'b', 'c']) orderer.enqueue(tx(name));
    await orderer.stop();
    expect(blocks).toEqual([['a', 'b', 'c']]);
  });

  it('never puts more than maxMessageCount transactions in a block', async () => {
    const { ledger, blocks } = fakeLedger(1);
    const orderer = new Orderer({ ledger, logger, maxMessageCount: 2 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) orderer.enqueue(tx(name));
    await orderer.stop();
    expect(blocks).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('waits for the batch timeout when cutting on idle is off', async () => {
    const { ledger, blocks } = fakeLedger(1);
    const orderer = new Orderer({ ledger, logger, cutWhenIdle: false, batchTimeoutMs: 60 });
    orderer.enqueue(tx('a'));
    await sleep(20);
    orderer.enqueue(tx('b'));
    expect(blocks).toEqual([]);
    await sleep(80);
    expect(blocks).toEqual([['a', 'b']]);
    await orderer.stop();
  });

  it('refuses submits beyond maxPending and after stop', async () => {
    const { ledger } = fakeLedger(50);
    const orderer = new Orderer({ ledger, logger, maxPending: 1 });
    orderer.enqueue(tx('a'));
    expect(() => orderer.enqueue(tx('b'))).toThrow(OrdererBusyError);
    await orderer.stop();
    expect(() => orderer.enqueue(tx('c'))).toThrow('the ordering service is stopped');
  });

  it('rejects an invalid block size', () => {
    const { ledger } = fakeLedger(1);
    expect(() => new Orderer({ ledger, logger, maxMessageCount: 0 })).toThrow('maxMessageCount');
  });
});
