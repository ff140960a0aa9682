import { common, msp } from '@hyperledger/fabric-protos';

/** A policy expression or principal that could not be parsed. */
export class PolicyParseError extends Error {
  override readonly name = 'PolicyParseError';
}

const roles: Readonly<Record<string, number>> = {
  member: msp.MSPRole.MSPRoleType.MEMBER,
  admin: msp.MSPRole.MSPRoleType.ADMIN,
  client: msp.MSPRole.MSPRoleType.CLIENT,
  peer: msp.MSPRole.MSPRoleType.PEER,
  orderer: msp.MSPRole.MSPRoleType.ORDERER,
};

type Node =
  | { readonly kind: 'principal'; readonly mspId: string; readonly role: number }
  | { readonly kind: 'outOf'; readonly n: number; readonly rules: readonly Node[] };

/**
 * Parses a Fabric-style signature policy expression, as `peer lifecycle` accepts it:
 * `OR('A.member', AND('B.peer', 'C.admin'))`, `OutOf(2, 'A.peer', 'B.peer', 'C.peer')`.
 * Function names are case-insensitive (`AND`/`and`, `OR`/`or`, `OutOf`/`outof`).
 * @throws PolicyParseError naming the position of the first problem.
 */
export function parseSignaturePolicy(expression: string): common.SignaturePolicyEnvelope {
  const parser = new Parser(expression);
  const root = parser.parseExpression();
  parser.expectEnd();
  return toEnvelope(root);
}

class Parser {
  readonly #text: string;
  #pos = 0;

  constructor(text: string) {
    this.#text = text;
  }

  parseExpression(): Node {
    this.#skipSpace();
    const ch = this.#text[this.#pos];
    if (ch === "'" || ch === '"') return this.#parsePrincipal(ch);
    const name = this.#readWord();
    if (name === '') this.#fail('expected a principal or AND/OR/OutOf');
    const fn = name.toLowerCase();
    if (fn !== 'and' && fn !== 'or' && fn !== 'outof') this.#fail(`unknown function ${name}`);
    this.#expect('(');
    let n = 0;
    if (fn === 'outof') {
      this.#skipSpace();
      const digits = /^\d+/.exec(this.#text.slice(this.#pos))?.[0];
      if (digits === undefined) this.#fail('OutOf needs a count as its first argument');
      this.#pos += digits.length;
      n = Number(digits);
      this.#expect(',');
    }
    const rules: Node[] = [this.parseExpression()];
    for (;;) {
      this.#skipSpace();
      if (this.#text[this.#pos] === ',') {
        this.#pos += 1;
        rules.push(this.parseExpression());
        continue;
      }
      break;
    }
    this.#expect(')');
    if (fn === 'and') n = rules.length;
    if (fn === 'or') n = 1;
    if (n < 1 || n > rules.length) this.#fail(`OutOf count ${n} must be between 1 and ${rules.length}`);
    return { kind: 'outOf', n, rules };
  }

  expectEnd(): void {
    this.#skipSpace();
    if (this.#pos !== this.#text.length) this.#fail('unexpected text after the expression');
  }

  #parsePrincipal(quote: string): Node {
    const close = this.#text.indexOf(quote, this.#pos + 1);
    if (close < 0) this.#fail('unterminated principal');
    const body = this.#text.slice(this.#pos + 1, close);
    const dot = body.lastIndexOf('.');
    const mspId = body.slice(0, dot);
    const role = roles[body.slice(dot + 1).toLowerCase()];
    if (dot <= 0 || role === undefined) {
      this.#fail(`principal '${body}' must be 'MSPID.role' with role member, admin, client, peer or orderer`);
    }
    this.#pos = close + 1;
    return { kind: 'principal', mspId, role };
  }

  #readWord(): string {
    const word = /^[A-Za-z]+/.exec(this.#text.slice(this.#pos))?.[0] ?? '';
    this.#pos += word.length;
    return word;
  }

  #expect(ch: string): void {
    this.#skipSpace();
    if (this.#text[this.#pos] !== ch) this.#fail(`expected '${ch}'`);
    this.#pos += 1;
  }

  #skipSpace(): void {
    while (/\s/.test(this.#text[this.#pos] ?? '')) this.#pos += 1;
  }

  #fail(message: string): never {
    throw new PolicyParseError(`invalid policy "${this.#text}" at position ${this.#pos}: ${message}`);
  }
}

function toEnvelope(root: Node): common.SignaturePolicyEnvelope {
  const identities: msp.MSPPrincipal[] = [];
  const index = new Map<string, number>();
  const build = (node: Node): common.SignaturePolicy => {
    const policy = new common.SignaturePolicy();
    if (node.kind === 'principal') {
      const id = `${node.mspId}\u0000${node.role}`;
      let i = index.get(id);
      if (i === undefined) {
        i = identities.length;
        index.set(id, i);
        identities.push(rolePrincipal(node.mspId, node.role));
      }
      policy.setSignedBy(i);
      return policy;
    }
    const outOf = new common.SignaturePolicy.NOutOf();
    outOf.setN(node.n);
    outOf.setRulesList(node.rules.map(build));
    policy.setNOutOf(outOf);
    return policy;
  };
  const envelope = new common.SignaturePolicyEnvelope();
  envelope.setVersion(0);
  envelope.setRule(build(root));
  envelope.setIdentitiesList(identities);
  return envelope;
}

/** An `MSPPrincipal` of classification ROLE for `mspId` with the given `MSPRole` role. */
export function rolePrincipal(mspId: string, role: number): msp.MSPPrincipal {
  const mspRole = new msp.MSPRole();
  mspRole.setMspIdentifier(mspId);
  mspRole.setRole(role as msp.MSPRole.MSPRoleTypeMap[keyof msp.MSPRole.MSPRoleTypeMap]);
  const principal = new msp.MSPPrincipal();
  principal.setPrincipalClassification(msp.MSPPrincipal.Classification.ROLE);
  principal.setPrincipal(mspRole.serializeBinary());
  return principal;
}
