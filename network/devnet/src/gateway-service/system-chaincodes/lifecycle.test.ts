import { common, peer } from '@hyperledger/fabric-protos';
import type { DevnetLedger } from '../../ledger';
import { chaincodePolicy } from '../../policy/chaincode-policy';
import {
  createTestNetwork,
  openTestLedger,
  removeDir,
  tempDataDir,
  type TestNetwork,
} from '../../testing/ledger-test-env';
import type { GatewayContext } from '../gateway-context';
import { invokeLifecycle } from './lifecycle';
import type { SystemResponse } from './system-chaincode';

/*
 * _lifecycle queries answered from the `_lifecycle` state the ledger's config blocks wrote: a
 * definition changed between runs is answered with its new sequence, any policy but MAJORITY as the
 * signature policy the ledger enforces.
 */
const ORGS = ['AMSP', 'BMSP', 'CMSP'];
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

async function call(fn: string, arg: Uint8Array): Promise<Uint8Array> {
  if (ledger === undefined) throw new Error('no ledger');
  const ctx = {
    ledger,
    peers: ORGS.map((mspId) => ({ mspId })),
    channel: { organisations: ORGS.map((mspId) => ({ mspId })) },
  } as unknown as GatewayContext;
  const answer: SystemResponse = await invokeLifecycle({
    ctx,
    txId: 'tx',
    creator: net.msp.validateIdentity(net.client.serialized),
    args: [Buffer.from(fn), arg],
  });
  if (answer.status !== 200) throw new Error(`${answer.status} ${answer.message}`);
  return answer.payload;
}

const definition = async (name: string) => {
  const args = new peer.lifecycle.QueryChaincodeDefinitionArgs();
  args.setName(name);
  return peer.lifecycle.QueryChaincodeDefinitionResult.deserializeBinary(
    await call('QueryChaincodeDefinition', args.serializeBinary()),
  );
};

it('answers a changed definition with its new sequence and version', async () => {
  ledger = await openTestLedger(net, dir, { chaincodes: [{ name: 'basic', version: '1.0', policy: 'ANY' }] });
  expect((await definition('basic')).getSequence()).toBe(1);
  await ledger.close();
  ledger = await openTestLedger(net, dir, { chaincodes: [{ name: 'basic', version: '2.0', policy: 'ANY' }] });
  const def = await definition('basic');
  expect([def.getSequence(), def.getVersion()]).toEqual([2, '2.0']);
  const policy = common.ApplicationPolicy.deserializeBinary(def.getValidationParameter_asU8());
  expect(policy.getSignaturePolicy()?.serializeBinary()).toEqual(
    chaincodePolicy('ANY', ORGS).serializeBinary(),
  );
});

it('lists every committed chaincode by name, each with its own policy', async () => {
  ledger = await openTestLedger(net, dir, {
    chaincodes: [
      { name: 'zeta', version: '3', policy: "OR('BMSP.peer')" },
      { name: 'alpha', version: '1', policy: 'MAJORITY' },
    ],
  });
  const listed = peer.lifecycle.QueryChaincodeDefinitionsResult.deserializeBinary(
    await call(
      'QueryChaincodeDefinitions',
      new peer.lifecycle.QueryChaincodeDefinitionsArgs().serializeBinary(),
    ),
  ).getChaincodeDefinitionsList();
  expect(listed.map((d) => [d.getName(), d.getSequence(), d.getVersion()])).toEqual([
    ['alpha', 1, '1'],
    ['zeta', 1, '3'],
  ]);
  const [alpha, zeta] = listed.map((d) =>
    common.ApplicationPolicy.deserializeBinary(d.getValidationParameter_asU8()),
  );
  expect(alpha?.getChannelConfigPolicyReference()).toBe('/Channel/Application/Endorsement');
  expect(zeta?.getSignaturePolicy()?.serializeBinary()).toEqual(
    chaincodePolicy("OR('BMSP.peer')", ORGS).serializeBinary(),
  );
});
