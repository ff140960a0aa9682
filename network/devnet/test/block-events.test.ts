import { checkpointers, type Contract, type Identity, type Network } from '@hyperledger/fabric-gateway';
import { common, ledger, peer } from '@hyperledger/fabric-protos';
import type { ProtoMap } from '../src/ledger/proto-timestamp';
import { txIdsOf } from './support/block-contents';
import { sharedDevnet } from './support/shared-devnet';

/* Block events (the Deliver service) through @hyperledger/fabric-gateway, as an off-chain indexer uses them. */
const devnet = sharedDevnet();

let network: Network;
let contract: Contract;
let doctor: Identity;

beforeAll(async () => {
  const client = await devnet.connect('hospitala-doctor');
  doctor = client.identity;
  network = client.gateway.getNetwork(devnet.connection.channel);
  contract = network.getContract(devnet.connection.chaincode);
});

/** The first `count` items of an event stream, then it is closed. */
async function take<T>(events: AsyncIterable<T> & { close(): void }, count: number): Promise<T[]> {
  const out: T[] = [];
  try {
    for await (const event of events) {
      out.push(event);
      if (out.length === count) break;
    }
  } finally {
    events.close();
  }
  return out;
}

describe('block events', () => {
  it('replays every block from the first and goes on with blocks as they commit', async () => {
    const first = await contract.submitAsync('put', { arguments: ['ev-1', 'v'] });
    const firstBlock = (await first.getStatus()).blockNumber;
    const events = await network.getBlockEvents({ startBlock: 0n });
    const replayed = await (async () => {
      const out: common.Block[] = [];
      for await (const block of events) {
        out.push(block);
        if (BigInt(block.getHeader()!.getNumber()) === firstBlock) break;
      }
      return out;
    })();
    expect(replayed.map((b) => BigInt(b.getHeader()!.getNumber()))).toEqual(
      Array.from({ length: Number(firstBlock) + 1 }, (_, i) => BigInt(i)),
    );
    expect(txIdsOf(replayed.at(-1)!)).toContain(first.getTransactionId());
    // Live: the next block arrives as it commits.
    const later = await contract.submitAsync('put', { arguments: ['ev-2', 'v'] });
    const iterator = events[Symbol.asyncIterator]();
    const next = (await iterator.next()).value as common.Block;
    events.close();
    expect(BigInt(next.getHeader()!.getNumber())).toBe((await later.getStatus()).blockNumber);
    expect(txIdsOf(next)).toEqual([later.getTransactionId()]);
  });

  it('sends filtered blocks with each transaction id, type, validation code and event name, no payload', async () => {
    const commit = await contract.submitAsync('putWithEvent', {
      arguments: ['ev-3', 'secret payload', 'Stored'],
    });
    const { blockNumber } = await commit.getStatus();
    const [filtered] = await take(await network.getFilteredBlockEvents({ startBlock: blockNumber }), 1);
    expect(BigInt(filtered!.getNumber())).toBe(blockNumber);
    expect(filtered!.getChannelId()).toBe(devnet.connection.channel);
    const tx = filtered!.getFilteredTransactionsList()[0]!;
    expect([tx.getTxid(), tx.getType(), tx.getTxValidationCode()]).toEqual([
      commit.getTransactionId(),
      common.HeaderType.ENDORSER_TRANSACTION,
      peer.TxValidationCode.VALID,
    ]);
    const event = tx.getTransactionActions()!.getChaincodeActionsList()[0]!.getChaincodeEvent()!;
    expect([event.getEventName(), event.getTxId(), event.getChaincodeId()]).toEqual([
      'Stored',
      commit.getTransactionId(),
      devnet.connection.chaincode,
    ]);
    expect(event.getPayload_asU8()).toHaveLength(0);
  });

  it('resumes after the block a checkpointer recorded', async () => {
    // One after the other, so that they are in consecutive blocks.
    const blockA = (await (await contract.submitAsync('put', { arguments: ['ev-4', 'v'] })).getStatus())
      .blockNumber;
    const blockB = (await (await contract.submitAsync('put', { arguments: ['ev-5', 'v'] })).getStatus())
      .blockNumber;
    const checkpointer = checkpointers.inMemory();
    const [seen] = await take(await network.getBlockEvents({ startBlock: blockA }), 1);
    await checkpointer.checkpointBlock(BigInt(seen!.getHeader()!.getNumber()));
    const [resumed] = await take(await network.getBlockEvents({ checkpoint: checkpointer }), 1);
    expect(blockB).toBe(blockA + 1n);
    expect(BigInt(resumed!.getHeader()!.getNumber())).toBe(blockB);
  });

  it('refuses an identity the channel does not know (FORBIDDEN)', async () => {
    const stranger = await devnet.connect('hospitala-nurse', {
      identity: { mspId: 'StrangerMSP', credentials: doctor.credentials },
    });
    const events = await stranger.gateway
      .getNetwork(devnet.connection.channel)
      .getBlockEvents({ startBlock: 0n });
    const err = await take(events, 1).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`Unexpected status response: ${common.Status.FORBIDDEN}`);
  });
});

describe('block events with private data (DeliverWithPrivateData)', () => {
  const privateDataOf = (event: peer.BlockAndPrivateData) =>
    event.getPrivateDataMapMap() as unknown as ProtoMap<ledger.rwset.TxPvtReadWriteSet, number>;

  /** The private writes (collection, key, value) a BlockAndPrivateData carries for transaction `txNum`. */
  function privateWrites(event: peer.BlockAndPrivateData, txNum: number): [string, string, string][] {
    const set = privateDataOf(event).get(txNum);
    if (set === undefined) return [];
    return set.getNsPvtRwsetList().flatMap((ns) =>
      ns.getCollectionPvtRwsetList().flatMap((coll) =>
        ledger.rwset.kvrwset.KVRWSet.deserializeBinary(coll.getRwset_asU8())
          .getWritesList()
          .map((w): [string, string, string] => [
            coll.getCollectionName(),
            w.getKey(),
            Buffer.from(w.getValue_asU8()).toString(),
          ]),
      ),
    );
  }

  /** Block number and transaction index of a committed transaction, from its block. */
  async function placeOf(txId: string, blockNumber: bigint): Promise<number> {
    const [event] = await take(await network.getBlockEvents({ startBlock: blockNumber }), 1);
    return txIdsOf(event!).indexOf(txId);
  }

  it("gives each organisation the block with its own collections' private data only, and resumes from a checkpoint", async () => {
    const commit = await contract.submitAsync('putPrivate', {
      arguments: ['pd-1'],
      transientData: { value: 'secret-of-a' },
    });
    const { blockNumber, code } = await commit.getStatus();
    expect(code).toBe(0);
    const txNum = await placeOf(commit.getTransactionId(), blockNumber);

    const [own] = await take(await network.getBlockAndPrivateDataEvents({ startBlock: blockNumber }), 1);
    expect(BigInt(own!.getBlock()!.getHeader()!.getNumber())).toBe(blockNumber);
    expect(privateWrites(own!, txNum)).toEqual([['_implicit_org_HospitalAMSP', 'pd-1', 'secret-of-a']]);

    // Another organisation's reader gets the block, without HospitalA's private data.
    const other = await devnet.connect('hospitalb-doctor');
    const otherNetwork = other.gateway.getNetwork(devnet.connection.channel);
    const [foreign] = await take(
      await otherNetwork.getBlockAndPrivateDataEvents({ startBlock: blockNumber }),
      1,
    );
    expect(BigInt(foreign!.getBlock()!.getHeader()!.getNumber())).toBe(blockNumber);
    expect(txIdsOf(foreign!.getBlock()!)).toContain(commit.getTransactionId());
    expect(privateDataOf(foreign!).getLength()).toBe(0);

    const next = await (await contract.submitAsync('put', { arguments: ['pd-after', 'v'] })).getStatus();
    const checkpointer = checkpointers.inMemory();
    await checkpointer.checkpointBlock(blockNumber);
    const [resumed] = await take(await network.getBlockAndPrivateDataEvents({ checkpoint: checkpointer }), 1);
    expect(BigInt(resumed!.getBlock()!.getHeader()!.getNumber())).toBe(next.blockNumber);
  });

  it('no longer delivers a value after PurgePrivateData removed it, from any earlier block', async () => {
    const writes: { blockNumber: bigint; txNum: number }[] = [];
    for (const value of ['first-version', 'second-version']) {
      const commit = await contract.submitAsync('putPrivate', {
        arguments: ['pd-2'],
        transientData: { value },
      });
      const { blockNumber } = await commit.getStatus();
      writes.push({ blockNumber, txNum: await placeOf(commit.getTransactionId(), blockNumber) });
    }
    const [before] = await take(
      await network.getBlockAndPrivateDataEvents({ startBlock: writes[1]!.blockNumber }),
      1,
    );
    expect(privateWrites(before!, writes[1]!.txNum)).toEqual([
      ['_implicit_org_HospitalAMSP', 'pd-2', 'second-version'],
    ]);

    await contract.submitTransaction('purgePrivate', 'pd-2');
    for (const { blockNumber, txNum } of writes) {
      const [after] = await take(await network.getBlockAndPrivateDataEvents({ startBlock: blockNumber }), 1);
      expect(privateWrites(after!, txNum)).toEqual([]);
    }
  });
});
