import { common, msp } from '@hyperledger/fabric-protos';
import { rolePrincipal } from '../policy/policy-parser';

/**
 * Builds a key-level policy exactly as fabric-shim's `KeyEndorsementPolicy` writes it: an
 * NOutOf with N = number of organisations over `SignedBy` each (role PEER or MEMBER).
 */
export class KeyEndorsementPolicy {
  readonly #orgs = new Map<string, number>();

  addOrgs(role: 'PEER' | 'MEMBER', ...mspIds: string[]): void {
    for (const id of mspIds) {
      this.#orgs.set(id, role === 'PEER' ? msp.MSPRole.MSPRoleType.PEER : msp.MSPRole.MSPRoleType.MEMBER);
    }
  }

  getPolicy(): Buffer {
    const ids = [...this.#orgs];
    const outOf = new common.SignaturePolicy.NOutOf();
    outOf.setN(ids.length);
    outOf.setRulesList(
      ids.map((_, i) => {
        const p = new common.SignaturePolicy();
        p.setSignedBy(i);
        return p;
      }),
    );
    const rule = new common.SignaturePolicy();
    rule.setNOutOf(outOf);
    const envelope = new common.SignaturePolicyEnvelope();
    envelope.setVersion(0);
    envelope.setRule(rule);
    envelope.setIdentitiesList(ids.map(([id, role]) => rolePrincipal(id, role)));
    return Buffer.from(envelope.serializeBinary());
  }
}
