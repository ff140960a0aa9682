import { common, msp } from '@hyperledger/fabric-protos';
import { parseSignaturePolicy, PolicyParseError, rolePrincipal } from './policy-parser';

/**
 * A chaincode-level endorsement policy: `MAJORITY`, `ANY` or `ALL` of the channel's
 * application organisations (each organisation's endorsement being one of its peers, as
 * Fabric's default `/Channel/Application/<Org>/Endorsement` = `OR('<Org>.peer')`), or a
 * signature policy expression such as `OR('A.member','B.member')` or `OutOf(2, ...)`.
 */
export type EndorsementPolicySpec = 'MAJORITY' | 'ANY' | 'ALL' | (string & {});

/**
 * The policy as a `SignaturePolicyEnvelope`.
 * @throws PolicyParseError for a malformed expression or an empty organisation list.
 */
export function chaincodePolicy(
  spec: EndorsementPolicySpec,
  orgs: readonly string[],
): common.SignaturePolicyEnvelope {
  const upper = spec.trim().toUpperCase();
  if (upper === 'MAJORITY' || upper === 'ANY' || upper === 'ALL') {
    if (orgs.length === 0) throw new PolicyParseError(`policy ${upper} needs at least one organisation`);
    const n = upper === 'ANY' ? 1 : upper === 'ALL' ? orgs.length : Math.floor(orgs.length / 2) + 1;
    return outOfPeers(n, orgs);
  }
  return parseSignaturePolicy(spec);
}

/** `OR('<mspId>.peer')`: an organisation's endorsement policy, which governs its implicit collection. */
export function orgEndorsementPolicy(mspId: string): common.SignaturePolicyEnvelope {
  return outOfPeers(1, [mspId]);
}

function outOfPeers(n: number, orgs: readonly string[]): common.SignaturePolicyEnvelope {
  const outOf = new common.SignaturePolicy.NOutOf();
  outOf.setN(n);
  outOf.setRulesList(
    orgs.map((_, i) => {
      const signedBy = new common.SignaturePolicy();
      signedBy.setSignedBy(i);
      return signedBy;
    }),
  );
  const rule = new common.SignaturePolicy();
  rule.setNOutOf(outOf);
  const envelope = new common.SignaturePolicyEnvelope();
  envelope.setVersion(0);
  envelope.setRule(rule);
  envelope.setIdentitiesList(orgs.map((org) => rolePrincipal(org, msp.MSPRole.MSPRoleType.PEER)));
  return envelope;
}
