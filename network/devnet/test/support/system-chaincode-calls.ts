import { createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { common } from '@hyperledger/fabric-protos';
import { peer } from '@hyperledger/fabric-protos';
import { signers, type Contract, type GatewayError, type Network } from '@hyperledger/fabric-gateway';
import { loadOrganization } from '@careledger/fabric-toolkit';
import type { SharedDevnet } from './shared-devnet';

/** TEST HELPER: Evaluate fails as Fabric's gateway reports a chaincode's error response (`message`). */
export async function expectRefusal(
  contract: Contract,
  fn: string,
  args: readonly (string | Uint8Array)[],
  message: string,
): Promise<void> {
  const err = (await contract
    .evaluate(fn, { arguments: [...args] })
    .catch((e: unknown) => e)) as GatewayError;
  expect(err.code).toBe(2);
  expect(err.message).toBe(`2 UNKNOWN: evaluate call to endorser returned error: ${message}`);
  expect(err.details[0]?.message).toBe(message);
}

/** TEST HELPER: the channel as a client signing as the organisation's peer (a channel reader, not a writer). */
export async function asPeer(devnet: SharedDevnet, mspId: string): Promise<Network> {
  const node = (await loadOrganization(join(devnet.dataDir, 'crypto'), mspId)).nodes[0];
  if (node === undefined) throw new Error(`no peer in ${mspId}`);
  const client = await devnet.connect('hospitala-doctor', {
    identity: { mspId, credentials: await readFile(node.certPath) },
    signer: signers.newPrivateKeySigner(createPrivateKey(await readFile(node.keyPath))),
  });
  return client.gateway.getNetwork(devnet.connection.channel);
}

/** The entries of a protobuf map field (`jspb.Map`, untyped here). */
export const entries = <V>(map: unknown): [string, V][] => (map as { toArray(): [string, V][] }).toArray();

export const entry = <V>(map: unknown, key: string): V | undefined =>
  (map as { get(k: string): V | undefined }).get(key);

export const groupOf = (group: common.ConfigGroup, key: string): common.ConfigGroup => {
  const found = entry<common.ConfigGroup>(group.getGroupsMap(), key);
  if (found === undefined) throw new Error(`no group ${key}`);
  return found;
};

export const valueOf = (group: common.ConfigGroup, key: string): Uint8Array => {
  const found = entry<common.ConfigValue>(group.getValuesMap(), key);
  if (found === undefined) throw new Error(`no value ${key}`);
  return found.getValue_asU8();
};

/** The marshalled `lifecycle.QueryChaincodeDefinitionArgs` of `name`. */
export const definitionArgs = (name: string): Uint8Array => {
  const args = new peer.lifecycle.QueryChaincodeDefinitionArgs();
  args.setName(name);
  return args.serializeBinary();
};
