import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { sealForCaller } from '../sealing/seal-for-caller';
import {
  ChaincodeError,
  consentGrantSchema,
  consentOf,
  EventName,
  idSchema,
  isRoleOf,
  maxActiveConsents,
  type Organization,
  parsePageSize,
  parseValue,
  type PatientRef,
  type Sealed,
  TransientKey,
} from '@careledger/contract';
import { Consent, ConsentPage, ConsentVersion, Receipt } from '@careledger/contract/assets';
import { authorize } from '../access-guard';
import { readActiveConsents, termsOf, writeActiveConsents } from '../active-consents';
import { actorOf, resolveCaller, txTime, type Caller } from '../caller';
import { marshal } from '../codec';
import { keys, privateKeys, ranges } from '../keys';
import { privatePage, putPrivate, readPrivate } from '../ledger/private-records';
import { readAsset } from '../ledger/world-state';
import { transientInput } from '../transient-input';

/** What a `ConsentChanged` event says: which consent, whose, for which organisation, its status. */
function consentEvent(c: Consent): Uint8Array {
  const { consentId, patientId, custodianMspId, granteeMspId, status } = c;
  return marshal({ consentId, patientId, custodianMspId, granteeMspId, status });
}

function receiptOf(
  ctx: Context,
  caller: Caller,
  c: Pick<Consent, 'consentId' | 'patientId' | 'custodianMspId' | 'status'>,
  at: string,
): Receipt {
  return {
    id: c.consentId,
    patientId: c.patientId,
    custodianMspId: c.custodianMspId,
    at,
    by: actorOf(caller),
    txId: ctx.stub.getTxID(),
    replayed: false,
    status: c.status,
  };
}

/** A patient of the caller's own hospital (consents are managed only there). */
function ownRef(caller: Caller, patientId: string): PatientRef {
  return { custodianMspId: caller.mspId, patientId: parseValue(idSchema, patientId, 'patientId') };
}

async function requireConsent(ctx: Context, ref: PatientRef, consentId: string): Promise<Consent> {
  const consent = await readPrivate<Consent>(
    ctx,
    ref.custodianMspId,
    privateKeys.consent(ref.patientId, consentId),
  );
  if (!consent) {
    throw new ChaincodeError('NOT_FOUND', `consent ${consentId} of patient ${ref.patientId} does not exist`);
  }
  return consent;
}

/**
 * Patient consents: who may access which scopes, for what purpose, until when. They live in
 * the custodian's implicit collection; only their id, grantee and status reach the events.
 */
@Info({ title: 'Consents', description: 'Patient consent grants and revocations' })
export class ConsentsContract extends Contract {
  constructor() {
    super('Consents');
  }

  /** Grant a consent (transient `consent`); by the patient, or by the custodian's admin on the patient's behalf. */
  @Transaction()
  @Returns('Receipt')
  public async grant(ctx: Context): Promise<Receipt> {
    const caller = await resolveCaller(ctx);
    const input = transientInput(ctx, TransientKey.consent, consentGrantSchema);
    const ref = ownRef(caller, input.patientId);
    await authorize(ctx, caller, 'manageConsent', ref);
    const grantee = await readAsset<Organization>(ctx, keys.organization(input.granteeMspId));
    if (!grantee) {
      throw new ChaincodeError(
        'INVALID_ARGUMENT',
        `consent.granteeMspId: ${input.granteeMspId} is not in the registry`,
      );
    }
    const role: string | undefined = input.granteeRole;
    if (role !== undefined && !isRoleOf(grantee.type, role)) {
      throw new ChaincodeError(
        'INVALID_ARGUMENT',
        `consent.granteeRole: a ${grantee.type} has no role '${role}'`,
      );
    }
    const now = txTime(ctx);
    if (Date.parse(input.validUntil) <= now.getTime()) {
      throw new ChaincodeError('INVALID_ARGUMENT', 'consent.validUntil: must be in the future');
    }
    const active = (await readActiveConsents(ctx, ref.custodianMspId, ref.patientId)).filter(
      (c) => Date.parse(c.validUntil) > now.getTime(),
    );
    if (active.length >= maxActiveConsents) {
      throw new ChaincodeError(
        'PRECONDITION_FAILED',
        `patient ${ref.patientId} has ${maxActiveConsents} active consents; revoke one first`,
      );
    }
    const receipt = receiptOf(
      ctx,
      caller,
      { ...ref, consentId: ctx.stub.getTxID(), status: 'active' },
      now.toISOString(),
    );
    const consent = consentOf(input, receipt);
    await putPrivate(ctx, ref.custodianMspId, privateKeys.consent(ref.patientId, consent.consentId), consent);
    await writeActiveConsents(ctx, ref.custodianMspId, ref.patientId, [...active, termsOf(consent)]);
    ctx.stub.setEvent(EventName.ConsentChanged, consentEvent(consent));
    return receipt;
  }

  /** Revoke a consent; it stops opening access at once. */
  @Transaction()
  @Returns('Receipt')
  public async revoke(ctx: Context, patientId: string, consentId: string): Promise<Receipt> {
    parseValue(idSchema, consentId, 'consentId');
    const caller = await resolveCaller(ctx);
    const ref = ownRef(caller, patientId);
    await authorize(ctx, caller, 'manageConsent', ref);
    const consent = await requireConsent(ctx, ref, consentId);
    if (consent.status === 'revoked') {
      throw new ChaincodeError('PRECONDITION_FAILED', `consent ${consentId} is already revoked`);
    }
    const at = txTime(ctx).toISOString();
    const revoked: Consent = {
      ...consent,
      status: 'revoked',
      revokedAt: at,
      revokedBy: actorOf(caller),
      revokedTxId: ctx.stub.getTxID(),
    };
    await putPrivate(ctx, ref.custodianMspId, privateKeys.consent(ref.patientId, consentId), revoked);
    const active = await readActiveConsents(ctx, ref.custodianMspId, ref.patientId);
    await writeActiveConsents(
      ctx,
      ref.custodianMspId,
      ref.patientId,
      active.filter((c) => c.consentId !== consentId),
    );
    ctx.stub.setEvent(EventName.ConsentChanged, consentEvent(revoked));
    return receiptOf(ctx, caller, revoked, at);
  }

  /** One consent. */
  @Transaction(false)
  @Returns('SealedAnswer')
  public async get(ctx: Context, patientId: string, consentId: string): Promise<Sealed<Consent>> {
    parseValue(idSchema, consentId, 'consentId');
    const caller = await resolveCaller(ctx);
    const ref = ownRef(caller, patientId);
    await authorize(ctx, caller, 'readConsents', ref);
    return sealForCaller(ctx, requireConsent(ctx, ref, consentId));
  }

  @Transaction(false)
  @Returns('SealedAnswer')
  public async list(
    ctx: Context,
    patientId: string,
    pageSize: string,
    bookmark: string,
  ): Promise<Sealed<ConsentPage>> {
    const size = parsePageSize(pageSize);
    const caller = await resolveCaller(ctx);
    const ref = ownRef(caller, patientId);
    await authorize(ctx, caller, 'readConsents', ref);
    return sealForCaller(
      ctx,
      privatePage<Consent>(ctx, ref.custodianMspId, ranges.consentsOf(ref.patientId), size, bookmark),
    );
  }

  /** Every version of one consent, newest first (grant, then revocation). */
  @Transaction(false)
  @Returns('SealedAnswer')
  public async history(
    ctx: Context,
    patientId: string,
    consentId: string,
  ): Promise<Sealed<ConsentVersion[]>> {
    parseValue(idSchema, consentId, 'consentId');
    const caller = await resolveCaller(ctx);
    const ref = ownRef(caller, patientId);
    await authorize(ctx, caller, 'readConsents', ref);
    const consent = await requireConsent(ctx, ref, consentId);
    const versions: ConsentVersion[] = [];
    if (
      consent.status === 'revoked' &&
      consent.revokedAt !== undefined &&
      consent.revokedTxId !== undefined
    ) {
      versions.push({
        txId: consent.revokedTxId,
        timestamp: consent.revokedAt,
        isDelete: false,
        value: consent,
      });
    }
    const granted: Consent = {
      ...consent,
      status: 'active',
      revokedAt: undefined,
      revokedBy: undefined,
      revokedTxId: undefined,
    };
    versions.push({ txId: consent.consentId, timestamp: consent.grantedAt, isDelete: false, value: granted });
    return sealForCaller(ctx, versions);
  }
}
