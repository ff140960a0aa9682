import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Network } from '@hyperledger/fabric-gateway';
import { peer } from '@hyperledger/fabric-protos';
import { verifyLedger } from '../src/ledger/verify-ledger';
import { parseSignaturePolicy } from '../src/policy/policy-parser';
import type { DevnetProcess } from '../src/spawn-devnet';
import { connectAs, utf8, type ConnectedClient } from './support/fabric-client';
import {
  CHAINCODE,
  CHANNEL,
  collections,
  networkConfig,
  startCollectionsDevnet,
  userNamed,
} from './support/collections-network';
import { definitionArgs } from './support/system-chaincode-calls';

jest.setTimeout(180_000);

/*
 * Explicit collections are part of the chaincode definition: `_lifecycle` answers them, a restart
 * keeps them and everything written (values, hashes, the BlockToLive schedule), a changed
 * collection config is the next sequence, and a change Fabric refuses stops the start.
 */
let dir: string;
let devnet: DevnetProcess | undefined;
let client: ConnectedClient | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'devnet-collections-restart-'));
});

afterAll(async () => {
  client?.close();
  await devnet?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function start(config: object = networkConfig(), user = 'ada'): Promise<Network> {
  client?.close();
  await devnet?.stop();
  devnet = await startCollectionsDevnet(dir, config);
  client = await connectAs(devnet.connection, userNamed(devnet.connection, user));
  return client.gateway.getNetwork(CHANNEL);
}

async function definition(network: Network): Promise<peer.lifecycle.QueryChaincodeDefinitionResult> {
  return peer.lifecycle.QueryChaincodeDefinitionResult.deserializeBinary(
    await network
      .getContract('_lifecycle')
      .evaluate('QueryChaincodeDefinition', { arguments: [definitionArgs(CHAINCODE)] }),
  );
}

const staticConfigs = (result: { getCollections(): peer.CollectionConfigPackage | undefined }) =>
  (result.getCollections()?.getConfigList() ?? []).map((c) => c.getStaticCollectionConfig()!);

it('answers the collections from _lifecycle as StaticCollectionConfigs', async () => {
  const network = await start();
  const result = await definition(network);
  expect(result.getSequence()).toBe(1);
  const configs = staticConfigs(result);
  expect(configs.map((c) => c.getName())).toEqual(collections.map((c) => c.name));
  const [shared, notes, short, counted, referenced] = configs;
  expect(shared?.getMemberOrgsPolicy()?.getSignaturePolicy()?.serializeBinary()).toEqual(
    parseSignaturePolicy("OR('ClinicMSP.member', 'LabOneMSP.member')").serializeBinary(),
  );
  expect([shared?.getMemberOnlyRead(), shared?.getMemberOnlyWrite(), notes?.getMemberOnlyRead()]).toEqual([
    true,
    true,
    false,
  ]);
  expect(shared?.getEndorsementPolicy()?.getSignaturePolicy()?.serializeBinary()).toEqual(
    parseSignaturePolicy("AND('ClinicMSP.peer', 'LabOneMSP.peer')").serializeBinary(),
  );
  expect(notes?.hasEndorsementPolicy()).toBe(false);
  // The peer CLI's defaults: requiredPeerCount 0, maxPeerCount 1.
  expect([notes?.getRequiredPeerCount(), notes?.getMaximumPeerCount(), notes?.getBlockToLive()]).toEqual([
    0, 1, 0,
  ]);
  expect(short?.getBlockToLive()).toBe(2);
  expect([counted?.getRequiredPeerCount(), counted?.getMaximumPeerCount()]).toEqual([2, 2]);
  expect(referenced?.getEndorsementPolicy()?.getChannelConfigPolicyReference()).toBe(
    '/Channel/Application/LabOneMSP/Endorsement',
  );
  const listed = peer.lifecycle.QueryChaincodeDefinitionsResult.deserializeBinary(
    await network.getContract('_lifecycle').evaluate('QueryChaincodeDefinitions', {
      arguments: [new peer.lifecycle.QueryChaincodeDefinitionsArgs().serializeBinary()],
    }),
  ).getChaincodeDefinitionsList();
  expect(listed.map((d) => [d.getName(), staticConfigs(d).length])).toEqual([
    [CHAINCODE, collections.length],
  ]);
});

it('keeps values, the definition and the BlockToLive schedule through a restart', async () => {
  let network = await start();
  const samples = () => network.getContract(CHAINCODE);
  await samples().submit('putIn', {
    arguments: ['shared', 'kept'],
    transientData: { value: Buffer.from('still here') },
  });
  const late = await samples().submitAsync('putIn', {
    arguments: ['short', 'late'],
    transientData: { value: Buffer.from('until b+2') },
  });
  const written = (await late.getStatus()).blockNumber;
  await devnet?.stop();
  devnet = undefined;
  const report = await verifyLedger(join(dir, 'data', 'ledger'));
  expect(report.problems).toEqual([]);

  network = await start(networkConfig(), 'bob');
  expect((await definition(network)).getSequence()).toBe(1);
  expect(utf8(await samples().evaluateTransaction('getFrom', 'shared', 'kept'))).toBe('still here');
  network = await start();
  expect(utf8(await samples().evaluateTransaction('getFrom', 'short', 'late'))).toBe('until b+2');
  let height = written;
  while (height < written + 3n) {
    height = (await (await samples().submitAsync('put', { arguments: ['tick', 'x'] })).getStatus())
      .blockNumber;
  }
  expect(height).toBe(written + 3n);
  expect(utf8(await samples().evaluateTransaction('getFrom', 'short', 'late'))).toBe('');
});

it('records a changed collection config as the next sequence, and refuses one that drops a collection', async () => {
  const added = { name: 'added', policy: "OR('LabTwoMSP.member')" };
  let network = await start(networkConfig([added]), 'cy');
  expect((await definition(network)).getSequence()).toBe(2);
  expect(staticConfigs(await definition(network)).map((c) => c.getName())).toContain('added');
  await network.getContract(CHAINCODE).submitTransaction('putValueIn', 'added', 'a', 'new');
  expect(utf8(await network.getContract(CHAINCODE).evaluateTransaction('getFrom', 'added', 'a'))).toBe('new');

  client?.close();
  client = undefined;
  await devnet?.stop();
  devnet = undefined;
  const dropped = networkConfig();
  const started = await startCollectionsDevnet(dir, dropped, 'dropped.json').catch(
    (e: unknown) => e as Error,
  );
  expect(started).toBeInstanceOf(Error);
  expect((started as Error).message).toContain(
    `chaincode ${CHAINCODE}: existing collection [added] missing in the proposed collection configuration`,
  );
  network = await start(networkConfig([added]));
  expect((await definition(network)).getSequence()).toBe(2);
});
