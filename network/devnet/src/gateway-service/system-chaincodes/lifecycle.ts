import { common, peer } from '@hyperledger/fabric-protos';
import type { TxSimulator } from '../../ledger';
import {
  definitionKey,
  LIFECYCLE_NAMESPACE,
  sequenceKey,
  type ChaincodeDefinition,
} from '../../ledger/chaincode-definitions';
import type { CollectionConfig } from '../../network-config/collection-config';
import type { ProtoMap } from '../../ledger/proto-timestamp';
import { chaincodePolicy, type EndorsementPolicySpec } from '../../policy/chaincode-policy';
import { collectionConfigPackage } from './collection-package';
import {
  checkAcl,
  failure,
  success,
  textArg,
  type SystemInvocation,
  type SystemResponse,
} from './system-chaincode';

const lc = peer.lifecycle;

/** `_lifecycle` functions of a Fabric 2.5 peer that the devnet does not serve. */
const notServed = new Set([
  'InstallChaincode',
  'QueryInstalledChaincode',
  'GetInstalledChaincodePackage',
  'QueryInstalledChaincodes',
  'ApproveChaincodeDefinitionForMyOrg',
  'QueryApprovedChaincodeDefinition',
  'CheckCommitReadiness',
  'CommitChaincodeDefinition',
]);

/** A committed definition as the devnet's config blocks record it in `_lifecycle` state. */
interface Committed {
  readonly name: string;
  readonly sequence: number;
  readonly version: string;
  readonly policy: EndorsementPolicySpec;
  readonly collections: readonly CollectionConfig[];
}

/**
 * `_lifecycle`, as Fabric 2.5.5's `core/chaincode/lifecycle` SCC answers the two queries of the
 * peer CLI's `lifecycle chaincode querycommitted`: `QueryChaincodeDefinition` and
 * `QueryChaincodeDefinitions`, the argument and the answer marshalled `lifecycle` messages. Each
 * checks `_lifecycle/<function>` (`/Channel/Application/Writers`) first. The definitions are read
 * from the `_lifecycle` world state the devnet's config blocks wrote (sequence and definition), so
 * the answer is what was committed, explicit collections included (`collection-package.ts`;
 * implicit collections are not listed, as on Fabric). The devnet has no approvals: every
 * organisation approved.
 */
export async function invokeLifecycle(invocation: SystemInvocation): Promise<SystemResponse> {
  const { args } = invocation;
  if (args.length === 0) return failure('lifecycle scc must be invoked with arguments');
  if (args.length !== 2)
    return failure(`lifecycle scc operations require exactly two arguments but received ${args.length}`);
  const fname = textArg(invocation, 0);
  if (notServed.has(fname)) return failure(`_lifecycle ${fname} is not served by the devnet`);
  const refused = checkAcl(invocation, `_lifecycle/${fname}`);
  if (refused !== undefined)
    return failure(`Failed to authorize invocation due to failed ACL check: ${refused}`);

  const simulator = invocation.ctx.ledger.newSimulator(invocation.txId);
  try {
    if (fname === 'QueryChaincodeDefinition') {
      let name: string;
      try {
        name = lc.QueryChaincodeDefinitionArgs.deserializeBinary(args[1] ?? new Uint8Array()).getName();
      } catch (err) {
        return undecodable(fname, err);
      }
      const committed = await readDefinition(simulator, name);
      // ErrNamespaceNotDefined: answered with status 404, not wrapped.
      if (committed === undefined) return failure(`namespace ${name} is not defined`, 404);
      return success(definitionResult(invocation, committed).serializeBinary());
    }
    if (fname !== 'QueryChaincodeDefinitions')
      return failure(`_lifecycle ${fname} is not served by the devnet`);
    try {
      lc.QueryChaincodeDefinitionsArgs.deserializeBinary(args[1] ?? new Uint8Array());
    } catch (err) {
      return undecodable(fname, err);
    }
    const result = new lc.QueryChaincodeDefinitionsResult();
    const all = await readDefinitions(simulator);
    result.setChaincodeDefinitionsList(all.map((committed) => listedDefinition(invocation, committed)));
    return success(result.serializeBinary());
  } finally {
    simulator.done();
  }
}

function undecodable(fname: string, err: unknown): SystemResponse {
  const message = err instanceof Error ? err.message : String(err);
  return failure(
    `failed to invoke backing implementation of '${fname}': could not decode input arg for *lifecycle.Invocation.${fname}: ${message}`,
  );
}

async function readDefinition(simulator: TxSimulator, name: string): Promise<Committed | undefined> {
  const sequence = await simulator.getState(LIFECYCLE_NAMESPACE, sequenceKey(name));
  const stored = await simulator.getState(LIFECYCLE_NAMESPACE, definitionKey(name));
  if (sequence === undefined || stored === undefined) return undefined;
  const { version, policy, collections } = JSON.parse(stored.toString('utf8')) as ChaincodeDefinition;
  return {
    name,
    sequence: lc.StateData.deserializeBinary(sequence).getInt64(),
    version,
    policy,
    collections: collections ?? [],
  };
}

/** Every committed definition, by name (Fabric lists them in map order, which is random). */
async function readDefinitions(simulator: TxSimulator): Promise<Committed[]> {
  const prefix = 'namespaces/fields/';
  const names: string[] = [];
  const range = simulator.getStateByRange(LIFECYCLE_NAMESPACE, prefix, 'namespaces/fields0');
  for (let next = await range.next(); next.done !== true; next = await range.next()) {
    const match = /^namespaces\/fields\/([^/]+)\/DevnetDefinition$/.exec(next.value.key);
    if (match?.[1] !== undefined) names.push(match[1]);
  }
  const found = await Promise.all(names.map((name) => readDefinition(simulator, name)));
  return found.filter((d): d is Committed => d !== undefined).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * The marshalled `ApplicationPolicy` of a definition: `MAJORITY` is Fabric's default (what
 * `peer lifecycle` commits without a signature policy), the reference to
 * `/Channel/Application/Endorsement` (`MAJORITY Endorsement`); any other policy the signature
 * policy the devnet enforces.
 */
function validationParameter(invocation: SystemInvocation, policy: EndorsementPolicySpec): Uint8Array {
  const application = new common.ApplicationPolicy();
  if (policy.trim().toUpperCase() === 'MAJORITY') {
    application.setChannelConfigPolicyReference('/Channel/Application/Endorsement');
  } else {
    const orgs = invocation.ctx.channel.organisations.map((o) => o.mspId);
    application.setSignaturePolicy(chaincodePolicy(policy, orgs));
  }
  return application.serializeBinary();
}

function definitionResult(
  invocation: SystemInvocation,
  committed: Committed,
): peer.lifecycle.QueryChaincodeDefinitionResult {
  const result = new lc.QueryChaincodeDefinitionResult();
  result.setSequence(committed.sequence);
  result.setVersion(committed.version);
  result.setEndorsementPlugin('escc');
  result.setValidationPlugin('vscc');
  result.setValidationParameter(validationParameter(invocation, committed.policy));
  result.setCollections(collectionConfigPackage(committed.collections));
  result.setInitRequired(false);
  const approvals = result.getApprovalsMap() as unknown as ProtoMap<boolean>;
  for (const org of invocation.ctx.channel.organisations) approvals.set(org.mspId, true);
  return result;
}

function listedDefinition(
  invocation: SystemInvocation,
  committed: Committed,
): peer.lifecycle.QueryChaincodeDefinitionsResult.ChaincodeDefinition {
  const entry = new lc.QueryChaincodeDefinitionsResult.ChaincodeDefinition();
  entry.setName(committed.name);
  entry.setSequence(committed.sequence);
  entry.setVersion(committed.version);
  entry.setEndorsementPlugin('escc');
  entry.setValidationPlugin('vscc');
  entry.setValidationParameter(validationParameter(invocation, committed.policy));
  entry.setCollections(collectionConfigPackage(committed.collections));
  entry.setInitRequired(false);
  return entry;
}
