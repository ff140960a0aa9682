import { msp } from '@hyperledger/fabric-protos';
import { parseSignaturePolicy } from './policy-parser';

function describePolicy(expression: string): unknown {
  const envelope = parseSignaturePolicy(expression);
  const ids = envelope.getIdentitiesList().map((p) => {
    const role = msp.MSPRole.deserializeBinary(p.getPrincipal_asU8());
    return `${role.getMspIdentifier()}/${role.getRole()}`;
  });
  const walk = (rule: ReturnType<typeof envelope.getRule>): unknown => {
    if (rule === undefined) return undefined;
    const outOf = rule.getNOutOf();
    if (rule.hasNOutOf() && outOf !== undefined)
      return { n: outOf.getN(), rules: outOf.getRulesList().map(walk) };
    return ids[rule.getSignedBy()];
  };
  return walk(envelope.getRule());
}

describe('parseSignaturePolicy', () => {
  it('parses OR of members as 1-out-of', () => {
    expect(describePolicy("OR('A.member','B.member')")).toEqual({ n: 1, rules: ['A/0', 'B/0'] });
  });

  it('parses nested AND, OutOf and roles, case-insensitively', () => {
    expect(describePolicy(`and("A.peer", outof(2, 'B.admin', 'C.client', 'A.peer'))`)).toEqual({
      n: 2,
      rules: ['A/3', { n: 2, rules: ['B/1', 'C/2', 'A/3'] }],
    });
  });

  it.each([
    ["OR('A.member'", "expected ')'"],
    ["OR('A.boss')", "must be 'MSPID.role'"],
    ["OutOf(3, 'A.member', 'B.member')", 'OutOf count 3 must be between 1 and 2'],
    ["XOR('A.member')", 'unknown function XOR'],
    ["OR('A.member') trailing", 'unexpected text'],
  ])('refuses %s', (expression, message) => {
    expect(() => parseSignaturePolicy(expression)).toThrow(message);
  });
});
