import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CommitError,
  EndorseError,
  type Contract,
  type GatewayError,
  type Network,
} from '@hyperledger/fabric-gateway';
import type { DevnetProcess } from '../src/spawn-devnet';
import { connectAs, utf8, type ConnectedClient } from './support/fabric-client';
import {
  CHAINCODE,
  CHANNEL,
  endorsersOf,
  networkConfig,
  privateWrites,
  startCollectionsDevnet,
  take,
  userNamed,
} from './support/collections-network';

jest.setTimeout(120_000);

/*
 * Explicit private data collections (a network configuration file's collection-config JSON),
 * driven only through @hyperledger/fabric-gateway: membership and member-only access, a non-member
 * peer, per-collection endorsement policies at validation and in the gateway's choice of endorsers,
 * requiredPeerCount, blockToLive, private data in block events. See support/collections-network.ts
 * for the collections; the chaincode's own policy is LabTwo's peer.
 */
let dir: string;
let devnet: DevnetProcess | undefined;
const clients: ConnectedClient[] = [];
/** Clinic's ada, LabOne's bob, LabTwo's cy. */
let ada: Network;
let bob: Network;
let cy: Network;
const contract = (network: Network): Contract => network.getContract(CHAINCODE);
const secret = (value: string) => ({ value: Buffer.from(value) });
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'devnet-collections-'));
  devnet = await startCollectionsDevnet(dir, networkConfig());
  const connect = async (user: string): Promise<Network> => {
    const client = await connectAs(devnet!.connection, userNamed(devnet!.connection, user));
    clients.push(client);
    return client.gateway.getNetwork(CHANNEL);
  };
  [ada, bob, cy] = [await connect('ada'), await connect('bob'), await connect('cy')];
});

afterAll(async () => {
  for (const client of clients) client.close();
  await devnet?.stop();
  await rm(dir, { recursive: true, force: true });
});

const failureOf = async (call: Promise<unknown>): Promise<GatewayError> =>
  (await call.catch((e: unknown) => e)) as GatewayError;

describe('a member-only collection', () => {
  it('is written by a member and read by members of both its organisations, the gateway choosing its endorsers', async () => {
    const commit = await contract(ada).submitAsync('putIn', {
      arguments: ['shared', 's1'],
      transientData: secret('for clinic and lab one'),
    });
    const status = await commit.getStatus();
    expect(status.code).toBe(0);
    // The collection's policy (both members' peers), not the chaincode's (LabTwo's peer).
    expect(await endorsersOf(ada, commit.getTransactionId(), status.blockNumber)).toEqual([
      'ClinicMSP',
      'LabOneMSP',
    ]);
    // Block events with private data: each member organisation's peer holds it; LabTwo's does not.
    const eventOf = async (network: Network) =>
      (await take(await network.getBlockAndPrivateDataEvents({ startBlock: status.blockNumber }), 1))[0]!;
    expect(privateWrites(await eventOf(bob))).toEqual([['shared', 's1', 'for clinic and lab one']]);
    expect(privateWrites(await eventOf(cy))).toEqual([]);
    expect(utf8(await contract(ada).evaluateTransaction('getFrom', 'shared', 's1'))).toBe(
      'for clinic and lab one',
    );
    expect(utf8(await contract(bob).evaluateTransaction('getFrom', 'shared', 's1'))).toBe(
      'for clinic and lab one',
    );
  });

  it("refuses a non-member's read and write with Fabric's texts, and gives it the hash", async () => {
    const read = await failureOf(
      contract(cy).evaluate('getFrom', {
        arguments: ['shared', 's1'],
        endorsingOrganizations: ['ClinicMSP'],
      }),
    );
    expect(read.code).toBe(2);
    expect(read.details[0]?.message).toContain(
      `tx creator does not have read access permission on privatedata in chaincodeName:${CHAINCODE} collectionName: shared`,
    );
    const write = (await failureOf(
      contract(cy).submit('putValueIn', { arguments: ['shared', 's2', 'x'] }),
    )) as EndorseError;
    expect(write).toBeInstanceOf(EndorseError);
    expect(write.code).toBe(10);
    expect(write.details[0]?.message).toContain(
      `tx creator does not have write access permission on privatedata in chaincodeName:${CHAINCODE} collectionName: shared`,
    );
    expect(utf8(await contract(cy).evaluateTransaction('hashFrom', 'shared', 's1'))).toBe(
      sha256('for clinic and lab one'),
    );
  });

  it("fails validation (10) when endorsed by the chaincode policy's organisation, not the collection's", async () => {
    const err = await failureOf(
      contract(ada).submit('putIn', {
        arguments: ['shared', 's3'],
        transientData: secret('x'),
        endorsingOrganizations: ['LabTwoMSP'],
      }),
    );
    expect(err).toBeInstanceOf(CommitError);
    expect((err as unknown as CommitError).code).toBe(10);
  });
});

describe('a collection any identity may use', () => {
  it('keeps values on its member peers: a non-member peer has only the hash', async () => {
    await contract(cy).submitTransaction('putValueIn', 'notes', 'n1', 'note');
    expect(utf8(await contract(ada).evaluateTransaction('getFrom', 'notes', 'n1'))).toBe('note');
    const atNonMember = await failureOf(contract(cy).evaluate('getFrom', { arguments: ['notes', 'n1'] }));
    expect(atNonMember.code).toBe(2);
    expect(atNonMember.details[0]?.message).toContain(
      'private data matching public hash version is not available',
    );
    expect(utf8(await contract(cy).evaluateTransaction('hashFrom', 'notes', 'n1'))).toBe(sha256('note'));
    // cy may read it through a member's peer: the collection is not member-only.
    expect(
      utf8(
        await contract(cy).evaluate('getFrom', {
          arguments: ['notes', 'n1'],
          endorsingOrganizations: ['ClinicMSP'],
        }),
      ),
    ).toBe('note');
  });

  it('keeps transient data among its members: a policy only a non-member satisfies needs named endorsers', async () => {
    const err = (await failureOf(
      contract(cy).submit('putIn', { arguments: ['notes', 'n2'], transientData: secret('t') }),
    )) as EndorseError;
    expect(err.code).toBe(9);
    expect(err.message).toContain(
      'requires endorsement from organisation(s) that are not in the distribution policy of the private data collection(s): [notes]; retry specifying trusted endorsing organizations to protect transient data',
    );
    await contract(cy).submit('putIn', {
      arguments: ['notes', 'n2'],
      transientData: secret('t'),
      endorsingOrganizations: ['LabTwoMSP'],
    });
    expect(utf8(await contract(ada).evaluateTransaction('getFrom', 'notes', 'n2'))).toBe('t');
  });

  it('is governed by the chaincode policy: endorsed by its member alone it fails validation', async () => {
    const err = await failureOf(
      contract(ada).submit('putValueIn', {
        arguments: ['notes', 'n3', 'v'],
        endorsingOrganizations: ['ClinicMSP'],
      }),
    );
    expect((err as unknown as CommitError).code).toBe(10);
  });
});

describe('endorsement policies', () => {
  it('evaluates a channel config policy reference: /Channel/Application/LabOneMSP/Endorsement', async () => {
    const commit = await contract(bob).submitAsync('putValueIn', { arguments: ['referenced', 'r1', 'v'] });
    const status = await commit.getStatus();
    expect(status.code).toBe(0);
    expect(await endorsersOf(bob, commit.getTransactionId(), status.blockNumber)).toEqual(['LabOneMSP']);
    const wrong = await failureOf(
      contract(bob).submit('putValueIn', {
        arguments: ['referenced', 'r2', 'v'],
        endorsingOrganizations: ['LabTwoMSP'],
      }),
    );
    expect((wrong as unknown as CommitError).code).toBe(10);
  });
});

describe('requiredPeerCount', () => {
  it("fails endorsement with Fabric's dissemination error when too few other member peers exist", async () => {
    const err = (await failureOf(
      contract(ada).submit('putValueIn', { arguments: ['counted', 'c1', 'v'] }),
    )) as EndorseError;
    expect(err.code).toBe(10);
    expect(err.details[0]?.message).toBe(
      `error in simulation: failed to distribute private collection, txID ${err.transactionId}, channel ${CHANNEL}: ` +
        `could not build private data dissemination plan for chaincode ${CHAINCODE} and collection counted: ` +
        'required to disseminate to at least 2 peers, but know of only 1 eligible peers',
    );
    // A non-member's peer reaches both members.
    await contract(cy).submitTransaction('putValueIn', 'counted', 'c1', 'v');
    expect(utf8(await contract(bob).evaluateTransaction('getFrom', 'counted', 'c1'))).toBe('v');
  });
});

describe('an undefined collection', () => {
  it("is refused at endorsement with the texts of Fabric's handler and simulator", async () => {
    const read = await failureOf(contract(ada).evaluate('getFrom', { arguments: ['nosuch', 'k'] }));
    expect(read.details[0]?.message).toContain(
      `collection ${CHANNEL}/${CHAINCODE}/nosuch could not be found`,
    );
    const write = (await failureOf(
      contract(ada).submit('putValueIn', { arguments: ['nosuch', 'k', 'v'] }),
    )) as EndorseError;
    expect(write.details[0]?.message).toContain(
      `collection ${CHANNEL}/${CHAINCODE}/nosuch could not be found`,
    );
    const hash = await failureOf(contract(ada).evaluate('hashFrom', { arguments: ['nosuch', 'k'] }));
    expect(hash.details[0]?.message).toContain(
      `collection [nosuch] not defined in the collection config for chaincode [${CHAINCODE}]`,
    );
  });
});

describe('blockToLive and block events', () => {
  it('delivers a write set to members only, and purges it (value, hash, block events) at block b+BTL+1', async () => {
    const commit = await contract(ada).submitAsync('putIn', {
      arguments: ['short', 'k'],
      transientData: secret('brief'),
    });
    const { blockNumber: written } = await commit.getStatus();
    const eventOf = async (network: Network) =>
      (await take(await network.getBlockAndPrivateDataEvents({ startBlock: written }), 1))[0]!;
    expect(privateWrites(await eventOf(ada))).toEqual([['short', 'k', 'brief']]);
    expect(privateWrites(await eventOf(cy))).toEqual([['short', 'k', 'brief']]);
    expect(privateWrites(await eventOf(bob))).toEqual([]);

    const nextBlock = async (): Promise<bigint> =>
      (await (await contract(ada).submitAsync('put', { arguments: ['tick', 'x'] })).getStatus()).blockNumber;
    expect(await nextBlock()).toBe(written + 1n);
    expect(await nextBlock()).toBe(written + 2n);
    expect(utf8(await contract(ada).evaluateTransaction('getFrom', 'short', 'k'))).toBe('brief');
    expect(await nextBlock()).toBe(written + 3n);
    expect(utf8(await contract(ada).evaluateTransaction('getFrom', 'short', 'k'))).toBe('');
    expect(utf8(await contract(ada).evaluateTransaction('hashFrom', 'short', 'k'))).toBe('');
    expect(privateWrites(await eventOf(ada))).toEqual([]);
  });
});
