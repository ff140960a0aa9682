import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Network } from '@hyperledger/fabric-gateway';
import { common, ledger, msp, peer } from '@hyperledger/fabric-protos';
import type { ConnectionFile } from '@careledger/fabric-toolkit';
import { spawnDevnet, type DevnetProcess } from '../../src/spawn-devnet';
import type { ProtoMap } from '../../src/ledger/proto-timestamp';
import { gatewayChaincodeDir } from './fabric-client';

/*
 * TEST HELPER: a three-organisation network whose chaincode `samples` has explicit collections
 * (from a network configuration file), and what the collection tests read out of blocks.
 */
export const CHANNEL = 'pdcchannel';
export const CHAINCODE = 'samples';

/**
 * The collections of `samples`. Its own policy is LabTwo's peer, so a write a collection's policy
 * governs shows by who endorsed it.
 */
export const collections = [
  // Clinic and LabOne; only their identities may read or write; writes need both their peers.
  {
    name: 'shared',
    policy: "OR('ClinicMSP.member', 'LabOneMSP.member')",
    memberOnlyRead: true,
    memberOnlyWrite: true,
    endorsementPolicy: { signaturePolicy: "AND('ClinicMSP.peer', 'LabOneMSP.peer')" },
  },
  // Clinic; anyone may read (at a member peer) and write; writes governed by the chaincode policy.
  { name: 'notes', policy: "OR('ClinicMSP.member')" },
  // Clinic and LabTwo; kept 2 blocks after the block that wrote it; writes need Clinic's peer.
  {
    name: 'short',
    policy: "OR('ClinicMSP.member', 'LabTwoMSP.member')",
    blockToLive: 2,
    endorsementPolicy: { signaturePolicy: "OR('ClinicMSP.peer')" },
  },
  // Clinic and LabOne; the endorser must reach 2 other member peers (only a non-member can).
  {
    name: 'counted',
    policy: "OR('ClinicMSP.member', 'LabOneMSP.member')",
    requiredPeerCount: 2,
    maxPeerCount: 2,
  },
  // LabOne; writes need what /Channel/Application/LabOneMSP/Endorsement needs (LabOne's peer).
  {
    name: 'referenced',
    policy: "OR('LabOneMSP.member')",
    endorsementPolicy: { channelConfigPolicy: '/Channel/Application/LabOneMSP/Endorsement' },
  },
];

export function networkConfig(extraCollections: readonly object[] = []): object {
  return {
    channel: CHANNEL,
    organisations: [
      { mspId: 'ClinicMSP', type: 'clinic', users: [{ name: 'ada', role: 'client' }] },
      { mspId: 'LabOneMSP', type: 'lab', users: [{ name: 'bob', role: 'client' }] },
      { mspId: 'LabTwoMSP', type: 'lab', users: [{ name: 'cy', role: 'client' }] },
    ],
    chaincodes: [
      {
        name: CHAINCODE,
        path: gatewayChaincodeDir,
        policy: "OR('LabTwoMSP.peer')",
        collections: [...collections, ...extraCollections],
      },
    ],
  };
}

/** Writes `config` to `<dir>/<file>` and starts a devnet on `<dir>/data` from it. */
export async function startCollectionsDevnet(
  dir: string,
  config: object,
  file = 'network.json',
): Promise<DevnetProcess> {
  await writeFile(join(dir, file), JSON.stringify(config));
  return spawnDevnet({
    dataDir: join(dir, 'data'),
    configFile: join(dir, file),
    port: 0,
    logLevel: 'warn',
    onLog:
      process.env.DEVNET_TEST_LOG === undefined
        ? () => undefined
        : (line) => process.stderr.write(`${line}\n`),
    startTimeoutMs: 90_000,
  });
}

/** The connection file's client identity of a user (`<org>-<user>`). */
export function userNamed(connection: ConnectionFile, user: string): string {
  for (const org of connection.organisations) {
    const found = org.identities.find((i) => i.name.endsWith(`-${user}`));
    if (found !== undefined) return found.name;
  }
  throw new Error(`no user ${user} in the connection file`);
}

/** The first `count` items of an event stream, then it is closed. */
export async function take<T>(events: AsyncIterable<T> & { close(): void }, count: number): Promise<T[]> {
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

/** The private writes (collection, key, value) a BlockAndPrivateData carries, by transaction. */
export function privateWrites(event: peer.BlockAndPrivateData): [string, string, string][] {
  const map = event.getPrivateDataMapMap() as unknown as ProtoMap<ledger.rwset.TxPvtReadWriteSet, number> & {
    forEach(callback: (value: ledger.rwset.TxPvtReadWriteSet, key: number) => void): void;
  };
  const sets: ledger.rwset.TxPvtReadWriteSet[] = [];
  map.forEach((set) => sets.push(set));
  return sets.flatMap((set) =>
    set.getNsPvtRwsetList().flatMap((ns) =>
      ns.getCollectionPvtRwsetList().flatMap((coll) =>
        ledger.rwset.kvrwset.KVRWSet.deserializeBinary(coll.getRwset_asU8())
          .getWritesList()
          .map((w): [string, string, string] => [
            coll.getCollectionName(),
            w.getKey(),
            Buffer.from(w.getValue_asU8()).toString(),
          ]),
      ),
    ),
  );
}

/** The MSP IDs of the endorsements a committed transaction carries, read back through block events. */
export async function endorsersOf(network: Network, txId: string, blockNumber: bigint): Promise<string[]> {
  const [block] = await take(await network.getBlockEvents({ startBlock: blockNumber }), 1);
  for (const bytes of block?.getData()?.getDataList_asU8() ?? []) {
    const payload = common.Payload.deserializeBinary(
      common.Envelope.deserializeBinary(bytes).getPayload_asU8(),
    );
    const header = common.ChannelHeader.deserializeBinary(payload.getHeader()!.getChannelHeader_asU8());
    if (header.getTxId() !== txId) continue;
    const action = peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()[0]!;
    const endorsed = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()).getAction()!;
    return endorsed
      .getEndorsementsList()
      .map((e) => msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8()).getMspid())
      .sort();
  }
  throw new Error(`transaction ${txId} is not in block ${blockNumber}`);
}
