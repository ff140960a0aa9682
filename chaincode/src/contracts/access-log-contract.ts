import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { sealForCaller } from '../sealing/seal-for-caller';
import {
  accessWindowMs,
  type Action,
  ChaincodeError,
  consentScopes,
  idSchema,
  parsePageSize,
  parseRef,
  parseValue,
  type Sealed,
} from '@careledger/contract';
import { AccessLogEntry, AccessLogPage, Receipt } from '@careledger/contract/assets';
import { authorize, isLogged, logAccess } from '../access-guard';
import { resolveCaller, txTime } from '../caller';
import { ranges } from '../keys';
import { privatePage } from '../ledger/private-records';
import { z } from 'zod';

/** The read each consent scope stands for. */
const readOf = {
  demographics: 'readDemographics',
  vitals: 'readVitals',
  labResults: 'readLabResults',
  prescriptions: 'readPrescriptions',
} as const satisfies Record<(typeof consentScopes)[number], Action>;

/**
 * Who outside the custodian read a patient's data, in the custodian's private collection:
 * visible to the patient and the custodian's admin. Another organisation's read is a
 * submitted `request` (decided and logged by the custodian's peer), then evaluated reads on
 * that peer while the entry's window is open.
 */
@Info({ title: 'AccessLog', description: 'Cross-organisation reads of patient data' })
export class AccessLogContract extends Contract {
  constructor() {
    super('AccessLog');
  }

  /**
   * Ask to read one scope of another organisation's patient. The custodian's peer decides as
   * the read itself would (matrix, consent) and writes the access-log entry; for the next
   * two minutes this identity's reads of that scope are answered. Only ids and times are in
   * the answer (it is in every member's blocks).
   */
  @Transaction()
  @Returns('Receipt')
  public async request(
    ctx: Context,
    custodianMspId: string,
    patientId: string,
    scope: string,
  ): Promise<Receipt> {
    const ref = parseRef(custodianMspId, patientId);
    const parsedScope = parseValue(z.enum(consentScopes), scope, 'scope');
    const caller = await resolveCaller(ctx);
    const action = readOf[parsedScope];
    if (!isLogged(caller, action, ref)) {
      throw new ChaincodeError(
        'INVALID_ARGUMENT',
        `custodianMspId: ${custodianMspId} is the caller's own organisation; its reads need no access request`,
      );
    }
    const allowed = await authorize(ctx, caller, action, ref, { ownRecords: caller.orgType === 'lab' });
    const validUntil = new Date(txTime(ctx).getTime() + accessWindowMs).toISOString();
    const entry = await logAccess(ctx, caller, ref, action, allowed, validUntil);
    return {
      id: entry.txId,
      patientId: ref.patientId,
      custodianMspId: ref.custodianMspId,
      at: entry.at,
      by: entry.accessor,
      txId: entry.txId,
      replayed: false,
      status: parsedScope,
      consentId: entry.consentId,
      validUntil,
    };
  }

  /** A patient's access log, oldest first. */
  @Transaction(false)
  @Returns('SealedAnswer')
  public async list(
    ctx: Context,
    patientId: string,
    pageSize: string,
    bookmark: string,
  ): Promise<Sealed<AccessLogPage>> {
    parseValue(idSchema, patientId, 'patientId');
    const size = parsePageSize(pageSize);
    const caller = await resolveCaller(ctx);
    const ref = { custodianMspId: caller.mspId, patientId };
    await authorize(ctx, caller, 'readAccessLog', ref);
    return sealForCaller(
      ctx,
      privatePage<AccessLogEntry>(ctx, ref.custodianMspId, ranges.accessLogOf(patientId), size, bookmark),
    );
  }
}
