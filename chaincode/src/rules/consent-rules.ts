import type { ConsentScope, ConsentStatus, Role } from '@careledger/contract';

/** What the consent rules need to know of a stored consent. */
export interface ConsentTerms {
  readonly consentId: string;
  readonly granteeMspId: string;
  readonly granteeRole?: string;
  readonly scopes: readonly ConsentScope[];
  readonly validFrom: string;
  readonly validUntil: string;
  readonly status: ConsentStatus;
}

/** The consent situation of one caller for one scope, strongest first. */
export type ConsentState = 'active' | 'revoked' | 'expired' | 'notYetValid' | 'otherScope' | 'none';

export interface ConsentLookup {
  readonly state: ConsentState;
  /** The consent that makes the access lawful (only when active). */
  readonly consent?: ConsentTerms;
}

const precedence: readonly ConsentState[] = [
  'active',
  'revoked',
  'expired',
  'notYetValid',
  'otherScope',
  'none',
];

function stateOf(c: ConsentTerms, scope: ConsentScope, at: number): ConsentState {
  if (!c.scopes.includes(scope)) return 'otherScope';
  if (c.status === 'revoked') return 'revoked';
  if (at < Date.parse(c.validFrom)) return 'notYetValid';
  if (at >= Date.parse(c.validUntil)) return 'expired';
  return 'active';
}

/**
 * Find the consent that lets an organisation (and role) access one scope at a time.
 * Revocation and expiry take effect at once: only a consent valid at `at` counts.
 */
export function findConsent(
  consents: readonly ConsentTerms[],
  grantee: { readonly mspId: string; readonly role: Role },
  scope: ConsentScope,
  at: Date,
): ConsentLookup {
  let best: ConsentLookup = { state: 'none' };
  for (const c of consents) {
    if (c.granteeMspId !== grantee.mspId) continue;
    if (c.granteeRole !== undefined && c.granteeRole !== grantee.role) continue;
    const state = stateOf(c, scope, at.getTime());
    if (state === 'active') return { state, consent: c };
    if (precedence.indexOf(state) < precedence.indexOf(best.state)) best = { state };
  }
  return best;
}
