import { peer } from '@hyperledger/fabric-protos';
import type { CollectionConfig } from '../../network-config/collection-config';
import { parseSignaturePolicy } from '../../policy/policy-parser';

/**
 * A definition's explicit collections as `_lifecycle` answers them: the `CollectionConfigPackage`
 * the peer CLI builds from the collection-config JSON (`getCollectionConfigFromBytes`): each a
 * `StaticCollectionConfig` with `member_orgs_policy` the parsed `policy`, the peer counts,
 * `block_to_live`, the member-only flags and, when given, `endorsement_policy` (a signature policy,
 * or the channel config policy reference as written). Implicit collections are not listed.
 */
export function collectionConfigPackage(configs: readonly CollectionConfig[]): peer.CollectionConfigPackage {
  const pkg = new peer.CollectionConfigPackage();
  pkg.setConfigList(
    configs.map((c) => {
      const members = new peer.CollectionPolicyConfig();
      members.setSignaturePolicy(parseSignaturePolicy(c.policy));
      const config = new peer.StaticCollectionConfig();
      config.setName(c.name);
      config.setMemberOrgsPolicy(members);
      config.setRequiredPeerCount(c.requiredPeerCount);
      config.setMaximumPeerCount(c.maxPeerCount);
      config.setBlockToLive(c.blockToLive);
      config.setMemberOnlyRead(c.memberOnlyRead);
      config.setMemberOnlyWrite(c.memberOnlyWrite);
      const ep = c.endorsementPolicy;
      if (ep !== undefined) {
        const policy = new peer.ApplicationPolicy();
        if ('signaturePolicy' in ep) policy.setSignaturePolicy(parseSignaturePolicy(ep.signaturePolicy));
        else policy.setChannelConfigPolicyReference(ep.channelConfigPolicy);
        config.setEndorsementPolicy(policy);
      }
      const entry = new peer.CollectionConfig();
      entry.setStaticCollectionConfig(config);
      return entry;
    }),
  );
  return pkg;
}
