import { common, msp } from '@hyperledger/fabric-protos';
import type { VerifiedIdentity } from '@careledger/fabric-toolkit';

/**
 * Evaluates a signature policy against a set of verified signers the way Fabric's cauthdsl
 * does: each signer satisfies at most one principal, matched greedily in rule order; an
 * n-out-of rule tries every sub-rule and keeps the signers a satisfied sub-rule consumed.
 * The caller passes identities whose signatures it has already verified, one per identity.
 */
export function evaluateSignaturePolicy(
  envelope: common.SignaturePolicyEnvelope,
  signers: readonly VerifiedIdentity[],
): boolean {
  const rule = envelope.getRule();
  if (rule === undefined) return false;
  const principals = envelope.getIdentitiesList();
  const used = new Array<boolean>(signers.length).fill(false);
  return evaluate(rule, principals, signers, used);
}

function evaluate(
  rule: common.SignaturePolicy,
  principals: readonly msp.MSPPrincipal[],
  signers: readonly VerifiedIdentity[],
  used: boolean[],
): boolean {
  if (rule.hasNOutOf()) {
    const outOf = rule.getNOutOf();
    if (outOf === undefined) return false;
    let satisfied = 0;
    for (const sub of outOf.getRulesList()) {
      const attempt = [...used];
      if (evaluate(sub, principals, signers, attempt)) {
        satisfied += 1;
        attempt.forEach((u, i) => (used[i] = u));
      }
    }
    return satisfied >= outOf.getN();
  }
  const principal = principals[rule.getSignedBy()];
  if (principal === undefined) return false;
  for (let i = 0; i < signers.length; i += 1) {
    const signer = signers[i];
    if (used[i] === true || signer === undefined) continue;
    if (satisfiesPrincipal(signer, principal)) {
      used[i] = true;
      return true;
    }
  }
  return false;
}

const ouForRole: Readonly<Record<number, string>> = {
  [msp.MSPRole.MSPRoleType.ADMIN]: 'admin',
  [msp.MSPRole.MSPRoleType.CLIENT]: 'client',
  [msp.MSPRole.MSPRoleType.PEER]: 'peer',
  [msp.MSPRole.MSPRoleType.ORDERER]: 'orderer',
};

/** ROLE principals (MEMBER = any valid identity of the MSP; others by NodeOU) and IDENTITY principals. */
export function satisfiesPrincipal(signer: VerifiedIdentity, principal: msp.MSPPrincipal): boolean {
  switch (principal.getPrincipalClassification()) {
    case msp.MSPPrincipal.Classification.ROLE: {
      const role = msp.MSPRole.deserializeBinary(principal.getPrincipal_asU8());
      if (role.getMspIdentifier() !== signer.mspId) return false;
      if (role.getRole() === msp.MSPRole.MSPRoleType.MEMBER) return true;
      return ouForRole[role.getRole()] === signer.ou;
    }
    case msp.MSPPrincipal.Classification.IDENTITY:
      return Buffer.from(principal.getPrincipal_asU8()).equals(signer.serialized);
    default:
      return false;
  }
}
