import { common, msp } from '@hyperledger/fabric-protos';
import { rolePrincipal } from '../../policy/policy-parser';

const { ADMIN, CLIENT, PEER } = msp.MSPRole.MSPRoleType;
type Role = typeof ADMIN | typeof CLIENT | typeof PEER;

/** Each organisation's policies in the devnet's channel (`channel-config.ts`): an OR of roles. */
const orgPolicies: Readonly<Record<string, readonly Role[]>> = {
  Readers: [ADMIN, PEER, CLIENT],
  Writers: [ADMIN, CLIENT],
  Admins: [ADMIN],
  Endorsement: [PEER],
};

/** The Application group's ImplicitMeta policies: a rule over that sub-policy of every organisation. */
const applicationPolicies: Readonly<
  Record<string, { readonly rule: 'ANY' | 'MAJORITY'; readonly sub: string }>
> = {
  Readers: { rule: 'ANY', sub: 'Readers' },
  Writers: { rule: 'ANY', sub: 'Writers' },
  Admins: { rule: 'MAJORITY', sub: 'Admins' },
  Endorsement: { rule: 'MAJORITY', sub: 'Endorsement' },
  LifecycleEndorsement: { rule: 'MAJORITY', sub: 'Endorsement' },
};

/**
 * A channel config policy reference (a collection's `channelConfigPolicy`) as the signature policy
 * it amounts to on the devnet's channel: `/Channel/Application/<MSPID>/<Readers|Writers|Admins|
 * Endorsement>` is an OR of that organisation's roles, `/Channel/Application/<name>` the ImplicitMeta
 * rule (ANY, MAJORITY) over the organisations' sub-policies. An ImplicitMeta policy evaluates each
 * organisation's policy on its own; as no signer belongs to two organisations, the nested NOutOf
 * below decides the same. Undefined for a policy the devnet's channel does not have.
 */
export function channelPolicyReference(
  reference: string,
  orgs: readonly string[],
): common.SignaturePolicyEnvelope | undefined {
  const parts = reference.split('/');
  if (parts.length < 4 || parts[0] !== '' || parts[1] !== 'Channel' || parts[2] !== 'Application')
    return undefined;
  const identities: msp.MSPPrincipal[] = [];
  const orgRule = (mspId: string, policy: string): common.SignaturePolicy | undefined => {
    const roles = Object.hasOwn(orgPolicies, policy) ? orgPolicies[policy] : undefined;
    if (roles === undefined || !orgs.includes(mspId)) return undefined;
    return nOutOf(
      1,
      roles.map((role) => {
        const signedBy = new common.SignaturePolicy();
        signedBy.setSignedBy(identities.length);
        identities.push(rolePrincipal(mspId, role));
        return signedBy;
      }),
    );
  };
  let rule: common.SignaturePolicy | undefined;
  if (parts.length === 5) {
    rule = orgRule(parts[3] ?? '', parts[4] ?? '');
  } else if (parts.length === 4) {
    const name = parts[3] ?? '';
    const meta = Object.hasOwn(applicationPolicies, name) ? applicationPolicies[name] : undefined;
    if (meta !== undefined && orgs.length > 0) {
      const subs = orgs.map((org) => orgRule(org, meta.sub) as common.SignaturePolicy);
      rule = nOutOf(meta.rule === 'ANY' ? 1 : Math.floor(orgs.length / 2) + 1, subs);
    }
  }
  if (rule === undefined) return undefined;
  const envelope = new common.SignaturePolicyEnvelope();
  envelope.setVersion(0);
  envelope.setRule(rule);
  envelope.setIdentitiesList(identities);
  return envelope;
}

function nOutOf(n: number, rules: common.SignaturePolicy[]): common.SignaturePolicy {
  const outOf = new common.SignaturePolicy.NOutOf();
  outOf.setN(n);
  outOf.setRulesList(rules);
  const rule = new common.SignaturePolicy();
  rule.setNOutOf(outOf);
  return rule;
}
