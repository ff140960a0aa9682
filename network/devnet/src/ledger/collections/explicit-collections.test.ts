import { peer } from '@hyperledger/fabric-protos';
import type { TestIdentity } from '../../testing/ledger-msp';
import {
  CC,
  commitCodes,
  createTestNetwork,
  endorse,
  openTestLedger,
  removeDir,
  tempDataDir,
  type TestNetwork,
} from '../../testing/ledger-test-env';
import type { DevnetLedger } from '../level-ledger';
import { compileCollections } from './collection-definition';

const Code = peer.TxValidationCode;
const ORGS = ['AMSP', 'BMSP', 'CMSP'];

/*
 * Explicit collections on the ledger: who may read and write (member-only flags against the
 * creator), which peer holds values, and the collection's endorsement policy at validation.
 */
const collections = [
  // Members A and B; only members may read or write; writes need both A and B.
  {
    name: 'ab',
    policy: "OR('AMSP.member', 'BMSP.member')",
    memberOnlyRead: true,
    memberOnlyWrite: true,
    endorsementPolicy: { signaturePolicy: "AND('AMSP.peer', 'BMSP.peer')" },
  },
  // Member A; anyone may read and write; writes governed by the chaincode policy (MAJORITY).
  { name: 'open', policy: "OR('AMSP.member')" },
  // Member C; writes need C's peer (its organisation's Endorsement policy).
  {
    name: 'c',
    policy: "OR('CMSP.member')",
    endorsementPolicy: { channelConfigPolicy: '/Channel/Application/CMSP/Endorsement' },
  },
  // Member C; writes need a majority of the channel's Endorsement policies.
  {
    name: 'majority',
    policy: "OR('CMSP.member')",
    endorsementPolicy: { channelConfigPolicy: '/Channel/Application/Endorsement' },
  },
];

let net: TestNetwork;
let clientC: TestIdentity;
let dir: string;
let ledger: DevnetLedger;

beforeAll(async () => {
  net = await createTestNetwork();
  clientC = await net.msp.issue('CMSP', 'client');
});
beforeEach(async () => {
  dir = tempDataDir();
  ledger = await openTestLedger(net, dir, {
    chaincodes: [{ name: CC, version: '1.0', policy: 'MAJORITY', collections }],
  });
});
afterEach(async () => {
  await ledger.close();
  removeDir(dir);
});

const write =
  (coll: string, key: string, value: string) =>
  async (sim: Parameters<Parameters<typeof endorse>[2]>[0], ns: string) =>
    sim.putPrivateData(ns, coll, key, Buffer.from(value));

describe('access to a member-only collection', () => {
  it('lets a member creator write and read, and a member peer return the value', async () => {
    const tx = await endorse(net, ledger, write('ab', 'k', 'secret'));
    expect(await commitCodes(ledger, tx)).toEqual([Code.VALID]);
    const sim = ledger.newSimulator('read-a', { creator: net.client.serialized, endorserMspId: 'BMSP' });
    expect((await sim.getPrivateData(CC, 'ab', 'k'))?.toString()).toBe('secret');
    expect([...sim.privateReads()]).toEqual([`${CC}\u0000ab`]);
    sim.done();
  });

  it("refuses a non-member creator's read and write with Fabric's texts, but not the hash", async () => {
    await commitCodes(ledger, await endorse(net, ledger, write('ab', 'k', 'secret')));
    const sim = ledger.newSimulator('read-c', { creator: clientC.serialized, endorserMspId: 'AMSP' });
    await expect(sim.getPrivateData(CC, 'ab', 'k')).rejects.toThrow(
      `tx creator does not have read access permission on privatedata in chaincodeName:${CC} collectionName: ab`,
    );
    await expect(sim.putPrivateData(CC, 'ab', 'k', Buffer.from('x'))).rejects.toThrow(
      `tx creator does not have write access permission on privatedata in chaincodeName:${CC} collectionName: ab`,
    );
    await expect(sim.purgePrivateData(CC, 'ab', 'k')).rejects.toThrow('does not have write access');
    expect((await sim.getPrivateDataHash(CC, 'ab', 'k'))?.length).toBe(32);
    sim.done();
  });
});

describe('a collection any creator may use', () => {
  it('keeps the values on member peers: a non-member peer fails to read an existing key', async () => {
    await commitCodes(ledger, await endorse(net, ledger, write('open', 'k', 'v')));
    const atB = ledger.newSimulator('at-b', { creator: clientC.serialized, endorserMspId: 'BMSP' });
    await expect(atB.getPrivateData(CC, 'open', 'k')).rejects.toThrow(
      'private data matching public hash version is not available. Public hash version = {BlockNum: 1, TxNum: 0}, Private data version = <nil>',
    );
    expect(await atB.getPrivateData(CC, 'open', 'absent')).toBeUndefined();
    atB.done();
    const atA = ledger.newSimulator('at-a', { creator: clientC.serialized, endorserMspId: 'AMSP' });
    expect((await atA.getPrivateData(CC, 'open', 'k'))?.toString()).toBe('v');
    atA.done();
  });

  it("is governed by the chaincode's policy when it names no endorsement policy", async () => {
    const byA = await endorse(net, ledger, write('open', 'k', 'v'), { endorsers: [net.peers.A] });
    const byBC = await endorse(net, ledger, write('open', 'k2', 'v'), {
      endorsers: [net.peers.B, net.peers.C],
    });
    expect(await commitCodes(ledger, byA, byBC)).toEqual([Code.ENDORSEMENT_POLICY_FAILURE, Code.VALID]);
  });
});

describe("a collection's endorsement policy", () => {
  it('governs its writes instead of the chaincode policy', async () => {
    // AND(A, B) is a majority too; A with C is a majority but not the collection's policy.
    const byAC = await endorse(net, ledger, write('ab', 'k', 'v'), { endorsers: [net.peers.A, net.peers.C] });
    const byAB = await endorse(net, ledger, write('ab', 'k2', 'v'));
    expect(await commitCodes(ledger, byAC, byAB)).toEqual([Code.ENDORSEMENT_POLICY_FAILURE, Code.VALID]);
  });

  it('may be a channel config policy: /Channel/Application/Endorsement is a majority of peers', async () => {
    const byC = await endorse(net, ledger, write('majority', 'k', 'v'), { endorsers: [net.peers.C] });
    const byBC = await endorse(net, ledger, write('majority', 'k', 'v'), {
      endorsers: [net.peers.B, net.peers.C],
    });
    expect(await commitCodes(ledger, byC, byBC)).toEqual([Code.ENDORSEMENT_POLICY_FAILURE, Code.VALID]);
  });

  it('leaves public writes of the same transaction to the chaincode policy', async () => {
    const both = (endorsers: TestIdentity[]) =>
      endorse(
        net,
        ledger,
        async (sim, ns) => {
          await sim.putState(ns, 'pub', Buffer.from('p'));
          await sim.putPrivateData(ns, 'c', 'k', Buffer.from('v'));
        },
        { endorsers },
      );
    const privateOnly = await endorse(net, ledger, write('c', 'k2', 'v'), { endorsers: [net.peers.C] });
    // C alone satisfies the collection, not the chaincode's majority; C with A both.
    expect(
      await commitCodes(
        ledger,
        await both([net.peers.C]),
        await both([net.peers.A, net.peers.C]),
        privateOnly,
      ),
    ).toEqual([Code.ENDORSEMENT_POLICY_FAILURE, Code.VALID, Code.VALID]);
  });
});

describe('compileCollections (checked at start as _lifecycle checks an approval)', () => {
  const compile = (config: Record<string, unknown>) => () =>
    compileCollections(CC, [{ name: 'c', policy: "OR('AMSP.member')", ...config }], ORGS);

  it.each([
    [
      { policy: "OR('ZMSP.member')" },
      "collection-name: c -- collection member 'ZMSP' is not part of the channel",
    ],
    [
      { policy: "AND('AMSP.member', 'BMSP.member')" },
      'collection-name: c -- error in member org policy: signature policy is not an OR concatenation, NOutOf 2',
    ],
    [
      { requiredPeerCount: 2, maxPeerCount: 1 },
      'collection-name: c -- maximum peer count (1) cannot be less than the required peer count (2)',
    ],
    [{ name: '_c' }, "invalid collection name '_c'"],
    [
      { endorsementPolicy: { signaturePolicy: 'NOT(x)' } },
      'collection-name: c -- invalid signature policy: NOT(x)',
    ],
    [
      { endorsementPolicy: { channelConfigPolicy: '/Channel/Orderer/Writers' } },
      'collection-name: c -- endorsement policy: the channel has no policy /Channel/Orderer/Writers the devnet can evaluate',
    ],
  ])('refuses %j', (config, message) => {
    expect(compile(config)).toThrow(`chaincode ${CC}: ${message}`);
  });

  it('knows the members, the defaults of the peer CLI and an organisation policy reference', () => {
    const c = compileCollections(
      CC,
      [
        {
          name: 'c',
          policy: "OR('AMSP.member', OR('BMSP.admin'))",
          endorsementPolicy: { channelConfigPolicy: '/Channel/Application/BMSP/Endorsement' },
        },
      ],
      ORGS,
    ).get('c');
    expect([...(c?.memberOrgs ?? [])]).toEqual(['AMSP', 'BMSP']);
    expect([c?.requiredPeerCount, c?.maxPeerCount, c?.blockToLive, c?.memberOnlyRead]).toEqual([
      0,
      1,
      0,
      false,
    ]);
    expect(c?.endorsementPolicy?.getIdentitiesList()).toHaveLength(1);
  });
});
