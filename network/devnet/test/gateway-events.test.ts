import {
  checkpointers,
  type ChaincodeEvent,
  type CloseableAsyncIterable,
  type Contract,
  type Network,
} from '@hyperledger/fabric-gateway';
import { utf8, type ConnectedClient } from './support/fabric-client';
import { sharedDevnet } from './support/shared-devnet';

const CHANNEL = 'healthchannel';

async function take(
  events: CloseableAsyncIterable<ChaincodeEvent>,
  count: number,
): Promise<ChaincodeEvent[]> {
  const taken: ChaincodeEvent[] = [];
  const iterator = events[Symbol.asyncIterator]();
  while (taken.length < count) {
    const next = await iterator.next();
    if (next.done === true) break;
    taken.push(next.value);
  }
  return taken;
}

describe('devnet chaincode events', () => {
  const devnet = sharedDevnet();
  let client: ConnectedClient;
  let network: Network;
  let contract: Contract;
  const emitted: { txId: string; block: bigint; name: string }[] = [];

  beforeAll(async () => {
    client = await devnet.connect('hospitalb-nurse');
    network = client.gateway.getNetwork(CHANNEL);
    contract = network.getContract('basic');
    // Three events, a plain transaction between them, and an invalid transaction with an event.
    for (const [i, name] of ['first', 'second', 'third'].entries()) {
      const commit = await contract.submitAsync('putWithEvent', {
        arguments: [`e${i}`, `payload-${i}`, name],
      });
      const status = await commit.getStatus();
      emitted.push({ txId: commit.getTransactionId(), block: status.blockNumber, name });
      if (i === 0) await contract.submitTransaction('put', 'plain', 'x');
    }
    const invalid = await contract
      .newProposal('putWithEvent', {
        arguments: ['bad', 'never', 'invalid'],
        endorsingOrganizations: ['HospitalBMSP'],
      })
      .endorse();
    expect((await (await invalid.submit()).getStatus()).code).toBe(10);
  }, 60_000);

  it('replays the events of valid transactions from a start block, in order, with block numbers and ids', async () => {
    const events = await network.getChaincodeEvents('basic', { startBlock: 0n });
    try {
      const got = await take(events, 3);
      expect(
        got.map((e) => [e.eventName, e.transactionId, e.blockNumber, utf8(e.payload), e.chaincodeName]),
      ).toEqual(emitted.map((e, i) => [e.name, e.txId, e.block, `payload-${i}`, 'basic']));
    } finally {
      events.close();
    }
  });

  it('resumes after the checkpointed transaction', async () => {
    const checkpointer = checkpointers.inMemory();
    const first = await network.getChaincodeEvents('basic', {
      startBlock: 0n,
      checkpoint: checkpointer,
    });
    const [one, two] = await take(first, 2);
    first.close();
    await checkpointer.checkpointChaincodeEvent(one!);
    await checkpointer.checkpointChaincodeEvent(two!);
    const resumed = await network.getChaincodeEvents('basic', { checkpoint: checkpointer });
    try {
      const [next] = await take(resumed, 1);
      expect(next?.eventName).toBe('third');
      expect(next?.transactionId).toBe(emitted[2]?.txId);
    } finally {
      resumed.close();
    }
  });

  it('skips the invalid transaction and delivers live events of later blocks', async () => {
    // From the block after the third event: it holds the invalid transaction's event, which must not arrive.
    const events = await network.getChaincodeEvents('basic', { startBlock: emitted[2]!.block + 1n });
    try {
      const received = take(events, 1);
      // Let the stream open at the current height before committing.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const commit = await contract.submitAsync('putWithEvent', { arguments: ['live', 'now', 'live'] });
      const [event] = await received;
      expect(event).toMatchObject({ eventName: 'live', transactionId: commit.getTransactionId() });
      expect(event?.blockNumber).toBe((await commit.getStatus()).blockNumber);
    } finally {
      events.close();
    }
  });
});
