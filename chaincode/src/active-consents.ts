import type { Context } from 'fabric-contract-api';
import { privateKeys } from './keys';
import { putPrivate, readPrivate } from './ledger/private-records';
import type { ConsentTerms } from './rules/consent-rules';

interface ActiveConsents {
  readonly consents: readonly ConsentTerms[];
}

/*
 * Fabric allows range queries over private data only in read-only transactions, and a grant, a
 * revocation, an access request and a dispensation all write. So each patient has one private
 * record listing the terms of its consents that still count — a point read. A grant prunes the
 * expired ones and a revocation removes its own, so the cap counts active consents only.
 */

/** The terms of the patient's active (and not-yet-pruned expired) consents. */
export async function readActiveConsents(
  ctx: Context,
  custodianMspId: string,
  patientId: string,
): Promise<readonly ConsentTerms[]> {
  const set = await readPrivate<ActiveConsents>(ctx, custodianMspId, privateKeys.activeConsents(patientId));
  return set?.consents ?? [];
}

export async function writeActiveConsents(
  ctx: Context,
  custodianMspId: string,
  patientId: string,
  consents: readonly ConsentTerms[],
): Promise<void> {
  const set: ActiveConsents = { consents };
  await putPrivate(ctx, custodianMspId, privateKeys.activeConsents(patientId), set);
}

/** The terms the rules need, from a consent. */
export function termsOf(c: ConsentTerms): ConsentTerms {
  const { consentId, granteeMspId, granteeRole, scopes, validFrom, validUntil, status } = c;
  return { consentId, granteeMspId, granteeRole, scopes, validFrom, validUntil, status };
}
