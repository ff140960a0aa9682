import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { authorize, maxConsentsPerPatient, requirePatient } from '../access-guard';
import { Consent } from '../assets/consent';
import { ConsentPage, ConsentVersion } from '../assets/pages';
import type { Organization } from '../assets/organization';
import { actorOf, resolveCaller, txTime } from '../caller';
import { anchorConsent } from '../custodian-anchor';
import { marshal } from '../codec';
import { ChaincodeError } from '../error-code';
import { keys, ranges } from '../keys';
import { keyHistory } from '../ledger/key-history';
import { createAsset, listPage, readAll, readAsset, updateAsset } from '../ledger/world-state';
import { consentGrantSchema, idSchema } from '../rules/input-schemas';
import { parseJsonArgument, parsePageSize, parseValue } from '../rules/parse-input';
import { isRoleOf } from '../rules/roles';
import { EventName } from '../wire-names';

function consentEvent(consent: Consent, changedBy: string): Uint8Array {
  const {
    consentId,
    patientId,
    custodianMspId,
    granteeMspId,
    granteeRole,
    scopes,
    status,
    validFrom,
    validUntil,
  } = consent;
  return marshal({
    consentId,
    patientId,
    custodianMspId,
    granteeMspId,
    granteeRole,
    scopes,
    status,
    validFrom,
    validUntil,
    changedBy,
  });
}

/** Patient consents: who may access which scopes, for what purpose, until when. */
@Info({ title: 'Consents', description: 'Patient consent grants and revocations' })
export class ConsentsContract extends Contract {
  constructor() {
    super('Consents');
  }

  /** Grant a consent; by the patient, or by the custodian's admin on the patient's behalf. */
  @Transaction()
  @Returns('Consent')
  public async grant(ctx: Context, consentJson: string): Promise<Consent> {
    const input = parseJsonArgument(consentGrantSchema, consentJson, 'consent');
    const caller = await resolveCaller(ctx);
    const patient = await requirePatient(ctx, input.patientId);
    await authorize(ctx, caller, 'manageConsent', patient);
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
    const validFrom =
      input.validFrom === undefined ? now.toISOString() : new Date(input.validFrom).toISOString();
    const validUntil = new Date(input.validUntil).toISOString();
    if (validUntil <= now.toISOString()) {
      throw new ChaincodeError('INVALID_ARGUMENT', 'consent.validUntil: must be in the future');
    }
    const existing = await readAll<Consent>(ctx, ranges.consentsOf(patient.patientId), maxConsentsPerPatient);
    if (existing.length >= maxConsentsPerPatient) {
      throw new ChaincodeError(
        'PRECONDITION_FAILED',
        `patient ${patient.patientId} has ${maxConsentsPerPatient} consents; revoke old ones first`,
      );
    }
    const consent: Consent = {
      consentId: ctx.stub.getTxID(),
      patientId: patient.patientId,
      custodianMspId: patient.custodianMspId,
      granteeMspId: input.granteeMspId,
      granteeRole: input.granteeRole,
      scopes: input.scopes,
      purpose: input.purpose,
      validFrom,
      validUntil,
      status: 'active',
      grantedBy: actorOf(caller),
      onBehalfOfPatient: caller.role !== 'patient',
      grantedAt: now.toISOString(),
    };
    await createAsset(
      ctx,
      keys.consent(patient.patientId, consent.consentId),
      consent,
      patient.custodianMspId,
    );
    await anchorConsent(ctx, consent);
    ctx.stub.setEvent(EventName.ConsentChanged, consentEvent(consent, caller.role));
    return consent;
  }

  /** Revoke a consent; it stops opening access at once. */
  @Transaction()
  @Returns('Consent')
  public async revoke(ctx: Context, patientId: string, consentId: string): Promise<Consent> {
    parseValue(idSchema, patientId, 'patientId');
    parseValue(idSchema, consentId, 'consentId');
    const caller = await resolveCaller(ctx);
    const patient = await requirePatient(ctx, patientId);
    await authorize(ctx, caller, 'manageConsent', patient);
    const consent = await readAsset<Consent>(ctx, keys.consent(patientId, consentId));
    if (!consent)
      throw new ChaincodeError('NOT_FOUND', `consent ${consentId} of patient ${patientId} does not exist`);
    if (consent.status === 'revoked') {
      throw new ChaincodeError('PRECONDITION_FAILED', `consent ${consentId} is already revoked`);
    }
    const revoked: Consent = {
      ...consent,
      status: 'revoked',
      revokedAt: txTime(ctx).toISOString(),
      revokedBy: actorOf(caller),
    };
    await updateAsset(ctx, keys.consent(patientId, consentId), revoked);
    ctx.stub.setEvent(EventName.ConsentChanged, consentEvent(revoked, caller.role));
    return revoked;
  }

  @Transaction(false)
  @Returns('ConsentPage')
  public async list(
    ctx: Context,
    patientId: string,
    pageSize: string,
    bookmark: string,
  ): Promise<ConsentPage> {
    parseValue(idSchema, patientId, 'patientId');
    const size = parsePageSize(pageSize);
    const caller = await resolveCaller(ctx);
    const patient = await requirePatient(ctx, patientId);
    await authorize(ctx, caller, 'readConsents', patient);
    return listPage<Consent>(ctx, ranges.consentsOf(patientId), size, bookmark);
  }

  /** Every version of one consent, newest first (grant, then revocation). */
  @Transaction(false)
  @Returns('ConsentVersion[]')
  public async history(ctx: Context, patientId: string, consentId: string): Promise<ConsentVersion[]> {
    parseValue(idSchema, patientId, 'patientId');
    parseValue(idSchema, consentId, 'consentId');
    const caller = await resolveCaller(ctx);
    const patient = await requirePatient(ctx, patientId);
    await authorize(ctx, caller, 'readConsents', patient);
    return keyHistory<Consent>(ctx, keys.consent(patientId, consentId));
  }
}
