import { peer } from '@hyperledger/fabric-protos';
import type { CollectionConfigInput } from '../network-config/collection-config';
import {
  CC,
  commitCodes,
  createTestNetwork,
  endorse,
  openTestLedger,
  put,
  removeDir,
  tempDataDir,
  type TestNetwork,
} from '../testing/ledger-test-env';
import { ClassicLevel } from 'classic-level';
import { LIFECYCLE_NAMESPACE, sequenceKey } from './chaincode-definitions';
import { dbKeys } from './db-keys';
import { sha256 } from './key-order';
import type { DevnetLedger } from './level-ledger';
import { encodeStateRecord } from './state-record';
import type { TxSimulator } from './tx-simulator';
import { verifyLedger } from './verify-ledger';

const Code = peer.TxValidationCode;

/*
 * BlockToLive as Fabric's purge manager applies it: a private write committed at block b with
 * blockToLive n is readable until block b+n is committed and purged, hash and value, when block
 * b+n+1 commits — unless rewritten since; the private data store forgets it at the same block.
 */
const short: CollectionConfigInput = { name: 'short', policy: "OR('AMSP.member')", blockToLive: 2 };
const definition = (collections: CollectionConfigInput[]) => ({
  chaincodes: [{ name: CC, version: '1.0', policy: 'MAJORITY', collections }],
});

let net: TestNetwork;
let dir: string;
let ledger: DevnetLedger | undefined;

beforeAll(async () => {
  net = await createTestNetwork();
});
beforeEach(() => {
  dir = tempDataDir();
});
afterEach(async () => {
  await ledger?.close();
  ledger = undefined;
  removeDir(dir);
});

async function open(collections: CollectionConfigInput[] = [short]): Promise<DevnetLedger> {
  ledger = await openTestLedger(net, dir, definition(collections));
  return ledger;
}

async function reopen(collections?: CollectionConfigInput[]): Promise<DevnetLedger> {
  await ledger?.close();
  ledger = undefined;
  return open(collections);
}

const writeShort = (key: string, value: string) => (sim: TxSimulator, ns: string) =>
  sim.putPrivateData(ns, 'short', key, Buffer.from(value));

/** What a peer of A reads: the value and the hash of a key of `short`. */
async function read(l: DevnetLedger, key: string): Promise<[string | undefined, number | undefined]> {
  const sim = l.newSimulator(`read-${key}-${l.height()}`, { endorserMspId: 'AMSP' });
  try {
    return [
      (await sim.getPrivateData(CC, 'short', key))?.toString(),
      (await sim.getPrivateDataHash(CC, 'short', key))?.length,
    ];
  } finally {
    sim.done();
  }
}

/** The collections of a block's write sets in the private data store (what Deliver would send). */
async function storedKeys(l: DevnetLedger, block: bigint): Promise<string[]> {
  const sets = await l.getBlockPrivateData(block);
  return [...sets.values()].flatMap((set) =>
    set.getNsPvtRwsetList().flatMap((ns) => ns.getCollectionPvtRwsetList().map((c) => c.getCollectionName())),
  );
}

async function withRawDb(change: (db: ClassicLevel<Buffer, Buffer>) => Promise<void>): Promise<void> {
  const db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await db.open({ createIfMissing: false });
  try {
    await change(db);
  } finally {
    await db.close();
  }
}

it('purges a write at block b+BTL+1 (hash, value, private data store), a rewritten key later', async () => {
  let l = await open();
  const block1 = [
    await endorse(net, l, writeShort('k1', 'v1')),
    await endorse(net, l, writeShort('k2', 'v2')),
  ];
  expect(await commitCodes(l, ...block1)).toEqual([Code.VALID, Code.VALID]); // block 1: expire at 4
  expect(await commitCodes(l, await endorse(net, l, writeShort('k2', 'v2b')))).toEqual([Code.VALID]); // 2: k2 at 5
  expect(await commitCodes(l, await endorse(net, l, put('p', '3')))).toEqual([Code.VALID]); // block 3
  expect(await read(l, 'k1')).toEqual(['v1', 32]);
  expect(await storedKeys(l, 1n)).toEqual(['short', 'short']);

  // Endorsed while k1 exists; it commits in the block that purges k1, validated before the purge.
  const readsK1 = await endorse(net, l, async (sim, ns) => {
    await sim.getPrivateData(ns, 'short', 'k1');
    await sim.putState(ns, 'saw-k1', Buffer.from('yes'));
  });
  l = await reopen(); // the schedule is stored: a restart changes nothing
  expect(await commitCodes(l, readsK1)).toEqual([Code.VALID]); // block 4
  expect(await read(l, 'k1')).toEqual([undefined, undefined]);
  expect(await read(l, 'k2')).toEqual(['v2b', 32]);
  expect(await storedKeys(l, 1n)).toEqual([]);
  expect(await storedKeys(l, 2n)).toEqual(['short']);

  expect(await commitCodes(l, await endorse(net, l, put('p', '5')))).toEqual([Code.VALID]); // block 5
  expect(await read(l, 'k2')).toEqual([undefined, undefined]);
  await l.close();
  ledger = undefined;
  const report = await verifyLedger(dir);
  expect(report.problems).toEqual([]);
});

it('purges at a config block too, and verify follows the purges', async () => {
  const l = await open();
  expect(await commitCodes(l, await endorse(net, l, writeShort('k', 'v')))).toEqual([Code.VALID]); // 1: at 4
  await commitCodes(l, await endorse(net, l, put('p', '2')));
  await commitCodes(l, await endorse(net, l, put('p', '3')));
  // A changed definition (one more collection) cuts config block 4, at which k expires.
  const more = await reopen([short, { name: 'more', policy: "OR('BMSP.member')" }]);
  expect(more.height()).toBe(5n);
  expect(await read(more, 'k')).toEqual([undefined, undefined]);
  const sim = more.newSimulator('seq');
  const sequence = await sim.getState(LIFECYCLE_NAMESPACE, sequenceKey(CC));
  sim.done();
  expect(peer.lifecycle.StateData.deserializeBinary(sequence ?? Buffer.alloc(0)).getInt64()).toBe(2);
  await more.close();
  ledger = undefined;
  expect((await verifyLedger(dir)).problems).toEqual([]);
});

it('verify reports a hash kept past its expiry and a schedule entry missing', async () => {
  const l = await open();
  await commitCodes(l, await endorse(net, l, writeShort('gone', 'v'))); // block 1: purged at 4
  const hashKey = dbKeys.hashed(CC, 'short', sha256('gone'));
  for (let i = 2; i <= 4; i += 1) await commitCodes(l, await endorse(net, l, put('p', String(i))));
  await commitCodes(l, await endorse(net, l, writeShort('kept', 'v'))); // block 5: purged at 8
  await l.close();
  ledger = undefined;
  await withRawDb(async (db) => {
    await db.put(
      hashKey,
      encodeStateRecord({ value: sha256('v'), version: { blockNum: 1, txNum: 0 }, metadata: new Map() }),
    );
    for await (const key of db.keys(dbKeys.expiryTable())) await db.del(key);
  });
  const whats = (await verifyLedger(dir)).problems.map((p) => p.what);
  expect(whats).toEqual([
    expect.stringContaining('extra: stored (version block 1 tx 0)'),
    'missing expiry schedule entry: BlockToLive purges it at block 8',
  ]);
});

describe('a changed collection config (a new definition)', () => {
  it.each([
    [[], 'the proposed collection config does not contain previously defined collections'],
    [
      [{ name: 'other', policy: "OR('AMSP.member')" }],
      'existing collection [short] missing in the proposed collection configuration',
    ],
    [
      [{ ...short, blockToLive: 3 }],
      'the BlockToLive in an existing collection [short] modified. Existing value [2]',
    ],
  ])('refuses %j as _lifecycle refuses it', async (collections, message) => {
    await open();
    await expect(reopen(collections)).rejects.toThrow(`chaincode ${CC}: ${message}`);
    // Nothing was recorded: the old definition still opens.
    expect((await open()).height()).toBe(1n);
  });

  it('keeps the sequence when the collections are the same, written with or without defaults', async () => {
    await open();
    const same = await reopen([{ ...short, requiredPeerCount: 0, maxPeerCount: 1, memberOnlyRead: false }]);
    expect(same.height()).toBe(1n);
  });
});
