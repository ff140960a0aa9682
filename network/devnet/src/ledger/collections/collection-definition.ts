import { common, msp } from '@hyperledger/fabric-protos';
import type { CollectionConfig, CollectionConfigInput } from '../../network-config/collection-config';
import { orgEndorsementPolicy } from '../../policy/chaincode-policy';
import { parseSignaturePolicy, rolePrincipal } from '../../policy/policy-parser';
import { implicitCollectionName } from '../implicit-collections';
import { channelPolicyReference } from './channel-policy-reference';

/**
 * A private data collection as the peer applies it (Fabric's `StaticCollectionConfig` set up as a
 * `SimpleCollection`): explicit, from a chaincode definition's collection config, or an
 * organisation's implicit one.
 */
export interface CollectionDefinition {
  readonly name: string;
  readonly implicit: boolean;
  /** `member_orgs_policy`: who is a member (a creator that satisfies it may read and write). */
  readonly memberPolicy: common.SignaturePolicyEnvelope;
  /** The MSP IDs the member policy names: the organisations whose peers hold the private values. */
  readonly memberOrgs: ReadonlySet<string>;
  readonly requiredPeerCount: number;
  readonly maxPeerCount: number;
  /** Blocks a private value lives after the block that wrote it; 0 = for ever. */
  readonly blockToLive: number;
  readonly memberOnlyRead: boolean;
  readonly memberOnlyWrite: boolean;
  /** The policy writes of the collection are validated against; undefined = the chaincode's. */
  readonly endorsementPolicy: common.SignaturePolicyEnvelope | undefined;
}

/** A collection config the network cannot serve; the message names the chaincode and says why. */
export class CollectionConfigError extends Error {
  override readonly name = 'CollectionConfigError';
}

/** Fabric's `collectionNameRegExp` (core/chaincode/lifecycle/scc.go). */
const NAME = /^[A-Za-z0-9-]+([A-Za-z0-9_-]+)*$/;

/**
 * One collection config in canonical form (fields in Fabric's JSON order, defaults filled in as
 * the peer CLI fills them), so that a definition compares and records byte for byte.
 */
export function canonicalCollection(config: CollectionConfigInput): CollectionConfig {
  const endorsement = config.endorsementPolicy;
  return {
    name: config.name,
    policy: config.policy,
    requiredPeerCount: config.requiredPeerCount ?? 0,
    maxPeerCount: config.maxPeerCount ?? 1,
    blockToLive: config.blockToLive ?? 0,
    memberOnlyRead: config.memberOnlyRead ?? false,
    memberOnlyWrite: config.memberOnlyWrite ?? false,
    ...(endorsement === undefined
      ? {}
      : {
          endorsementPolicy:
            'signaturePolicy' in endorsement
              ? { signaturePolicy: endorsement.signaturePolicy }
              : { channelConfigPolicy: endorsement.channelConfigPolicy },
        }),
  };
}

/**
 * Sets up a chaincode's explicit collections, with the checks Fabric's `_lifecycle` makes when a
 * definition is approved (`validateCollectionConfigs`, scc.go): the name, no duplicate, the peer
 * counts, a member policy that parses, is an OR of principals and names only channel members; and
 * an endorsement policy the devnet can evaluate.
 * @throws CollectionConfigError `chaincode <cc>: <Fabric's text>`.
 */
export function compileCollections(
  chaincode: string,
  configs: readonly CollectionConfigInput[],
  orgs: readonly string[],
): Map<string, CollectionDefinition> {
  const fail = (message: string): never => {
    throw new CollectionConfigError(`chaincode ${chaincode}: ${message}`);
  };
  const compiled = new Map<string, CollectionDefinition>();
  for (const raw of configs) {
    const c = canonicalCollection(raw);
    if (!NAME.test(c.name)) {
      fail(
        `invalid collection name '${c.name}'. Names can only consist of alphanumerics, '_', and '-' and cannot begin with '_'`,
      );
    }
    if (compiled.has(c.name))
      fail(`collection-name: ${c.name} -- found duplicate in collection configuration`);
    if (c.maxPeerCount < c.requiredPeerCount) {
      fail(
        `collection-name: ${c.name} -- maximum peer count (${c.maxPeerCount}) cannot be less than the required peer count (${c.requiredPeerCount})`,
      );
    }
    const memberPolicy = parsed(c.policy, (err) => fail(`invalid policy ${c.policy}: ${err}`));
    const notOr = orConcatenationError(memberPolicy.getRule());
    if (notOr !== undefined) fail(`collection-name: ${c.name} -- error in member org policy: ${notOr}`);
    const memberOrgs = new Set(memberPolicy.getIdentitiesList().map(principalMspId));
    for (const org of memberOrgs) {
      if (!orgs.includes(org))
        fail(`collection-name: ${c.name} -- collection member '${org}' is not part of the channel`);
    }
    let endorsementPolicy: common.SignaturePolicyEnvelope | undefined;
    const ep = c.endorsementPolicy;
    if (ep !== undefined && 'signaturePolicy' in ep) {
      endorsementPolicy = parsed(ep.signaturePolicy, () =>
        fail(`collection-name: ${c.name} -- invalid signature policy: ${ep.signaturePolicy}`),
      );
    } else if (ep !== undefined) {
      endorsementPolicy = channelPolicyReference(ep.channelConfigPolicy, orgs);
      if (endorsementPolicy === undefined) {
        fail(
          `collection-name: ${c.name} -- endorsement policy: the channel has no policy ${ep.channelConfigPolicy} ` +
            'the devnet can evaluate (it has /Channel/Application/{Readers,Writers,Admins,Endorsement,LifecycleEndorsement} ' +
            'and /Channel/Application/<MSPID>/{Readers,Writers,Admins,Endorsement})',
        );
      }
    }
    compiled.set(c.name, {
      name: c.name,
      implicit: false,
      memberPolicy,
      memberOrgs,
      requiredPeerCount: c.requiredPeerCount,
      maxPeerCount: c.maxPeerCount,
      blockToLive: c.blockToLive,
      memberOnlyRead: c.memberOnlyRead,
      memberOnlyWrite: c.memberOnlyWrite,
      endorsementPolicy,
    });
  }
  return compiled;
}

/**
 * An organisation's implicit collection (`GenerateImplicitCollectionForOrg`): members `<MSP>.member`,
 * anyone may read and write, no peer counts (the peer's implicit dissemination policy defaults to
 * 0), its writes governed by `/Channel/Application/<Org>/Endorsement` (`OR('<MSP>.peer')`).
 */
export function implicitCollection(mspId: string): CollectionDefinition {
  const memberPolicy = new common.SignaturePolicyEnvelope();
  const rule = new common.SignaturePolicy();
  rule.setSignedBy(0);
  memberPolicy.setRule(rule);
  memberPolicy.setIdentitiesList([rolePrincipal(mspId, msp.MSPRole.MSPRoleType.MEMBER)]);
  return {
    name: implicitCollectionName(mspId),
    implicit: true,
    memberPolicy,
    memberOrgs: new Set([mspId]),
    requiredPeerCount: 0,
    maxPeerCount: 0,
    blockToLive: 0,
    memberOnlyRead: false,
    memberOnlyWrite: false,
    endorsementPolicy: orgEndorsementPolicy(mspId),
  };
}

function parsed(expression: string, onError: (message: string) => never): common.SignaturePolicyEnvelope {
  try {
    return parseSignaturePolicy(expression);
  } catch (err) {
    return onError(err instanceof Error ? err.message : String(err));
  }
}

/** Fabric's `validateSpOrConcat`: the member policy may only be ORs (NOutOf 1) of principals. */
function orConcatenationError(rule: common.SignaturePolicy | undefined): string | undefined {
  const outOf = rule?.getNOutOf();
  if (rule === undefined || outOf === undefined || !rule.hasNOutOf()) return undefined;
  if (outOf.getN() !== 1) return `signature policy is not an OR concatenation, NOutOf ${outOf.getN()}`;
  for (const sub of outOf.getRulesList()) {
    const error = orConcatenationError(sub);
    if (error !== undefined) return error;
  }
  return undefined;
}

function principalMspId(principal: msp.MSPPrincipal): string {
  return msp.MSPRole.deserializeBinary(principal.getPrincipal_asU8()).getMspIdentifier();
}
