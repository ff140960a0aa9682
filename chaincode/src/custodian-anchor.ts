import type { Context } from 'fabric-contract-api';
import type { Consent } from './assets/consent';
import type { Prescription } from './assets/prescription';
import { marshal } from './codec';
import { keys } from './keys';
import { implicitCollection, sha256Hex } from './private-data';

/*
 * Consents and prescriptions are new keys, and new keys are governed by the chaincode-level
 * policy, which lets any one organisation endorse (README, "Endorsement"). A dishonest
 * organisation's peer could therefore endorse a made-up consent naming its own organisation, or
 * a made-up prescription to dispense. So creating one also writes its terms to the custodian's
 * implicit collection, whose endorsement policy is the custodian's: only a record the
 * custodian's peer endorsed has them. Every peer checks them through the collection's public
 * hashes, without holding the private data.
 */

/** What a record is anchored by: the key (in the custodian's collection) and the immutable terms. */
interface Anchor {
  readonly custodianMspId: string;
  readonly key: string;
  readonly terms: Uint8Array;
}

function consentAnchor(c: Consent): Anchor {
  const { consentId, patientId, custodianMspId, granteeMspId, granteeRole, scopes, validFrom, validUntil } =
    c;
  return {
    custodianMspId,
    key: keys.consent(patientId, consentId),
    terms: marshal({
      consentId,
      patientId,
      custodianMspId,
      granteeMspId,
      granteeRole,
      scopes,
      validFrom,
      validUntil,
    }),
  };
}

function prescriptionAnchor(p: Prescription): Anchor {
  const { prescriptionId, patientId, custodianMspId, atc, medication, dosage, quantity, prescribedAt } = p;
  return {
    custodianMspId,
    key: keys.prescription(patientId, prescriptionId),
    terms: marshal({
      prescriptionId,
      patientId,
      custodianMspId,
      atc,
      medication,
      dosage,
      quantity,
      prescribedAt,
    }),
  };
}

async function write(ctx: Context, anchor: Anchor): Promise<void> {
  await ctx.stub.putPrivateData(implicitCollection(anchor.custodianMspId), anchor.key, anchor.terms);
}

async function holds(ctx: Context, anchor: Anchor): Promise<boolean> {
  const hash = await ctx.stub.getPrivateDataHash(implicitCollection(anchor.custodianMspId), anchor.key);
  return hash.length > 0 && Buffer.from(hash).toString('hex') === sha256Hex(anchor.terms);
}

/** Record a new consent's terms in the custodian's implicit collection. */
export const anchorConsent = (ctx: Context, consent: Consent) => write(ctx, consentAnchor(consent));
/** Whether the custodian anchored exactly these terms (false for a consent it never endorsed). */
export const isConsentAnchored = (ctx: Context, consent: Consent) => holds(ctx, consentAnchor(consent));
/** Record a new prescription's terms in the custodian's implicit collection. */
export const anchorPrescription = (ctx: Context, p: Prescription) => write(ctx, prescriptionAnchor(p));
/** Whether the custodian anchored exactly these terms. */
export const isPrescriptionAnchored = (ctx: Context, p: Prescription) => holds(ctx, prescriptionAnchor(p));
