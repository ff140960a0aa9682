import { X509Certificate } from 'node:crypto';
import type { NodeOU, VerifiedIdentity } from '@careledger/fabric-toolkit';
import { chaincodePolicy } from './chaincode-policy';
import { evaluateSignaturePolicy } from './policy-evaluator';
import { parseSignaturePolicy } from './policy-parser';

function signer(mspId: string, ou: NodeOU): VerifiedIdentity {
  return {
    mspId,
    ou,
    serialized: Buffer.from(`${mspId}/${ou}`),
    certificatePem: '',
    certificate: undefined as unknown as X509Certificate,
  };
}

const orgs = ['A', 'B', 'C'];

describe('evaluateSignaturePolicy', () => {
  it('needs two of three organisations’ peers for MAJORITY', () => {
    const policy = chaincodePolicy('MAJORITY', orgs);
    expect(evaluateSignaturePolicy(policy, [signer('A', 'peer')])).toBe(false);
    expect(evaluateSignaturePolicy(policy, [signer('A', 'peer'), signer('C', 'peer')])).toBe(true);
    expect(evaluateSignaturePolicy(policy, [signer('A', 'peer'), signer('B', 'client')])).toBe(false);
  });

  it('applies ANY and ALL to the organisation list', () => {
    expect(evaluateSignaturePolicy(chaincodePolicy('ANY', orgs), [signer('B', 'peer')])).toBe(true);
    const all = chaincodePolicy('ALL', orgs);
    expect(evaluateSignaturePolicy(all, [signer('A', 'peer'), signer('B', 'peer')])).toBe(false);
    expect(
      evaluateSignaturePolicy(all, [signer('A', 'peer'), signer('B', 'peer'), signer('C', 'peer')]),
    ).toBe(true);
  });

  it('lets one signature satisfy only one principal, matched greedily in order as cauthdsl does', () => {
    const policy = parseSignaturePolicy("AND('A.member', 'A.peer')");
    expect(evaluateSignaturePolicy(policy, [signer('A', 'peer')])).toBe(false);
    expect(evaluateSignaturePolicy(policy, [signer('A', 'client'), signer('A', 'peer')])).toBe(true);
    // The member rule takes the peer first, leaving only a client for the peer rule.
    expect(evaluateSignaturePolicy(policy, [signer('A', 'peer'), signer('A', 'client')])).toBe(false);
  });

  it('accepts any identity of the organisation for the member role', () => {
    const policy = parseSignaturePolicy("OR('B.member')");
    expect(evaluateSignaturePolicy(policy, [signer('B', 'admin')])).toBe(true);
    expect(evaluateSignaturePolicy(policy, [signer('A', 'admin')])).toBe(false);
  });
});
