import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { sealForCaller } from '../sealing/seal-for-caller';
import {
  ChaincodeError,
  labResultOf,
  labResultSchema,
  parsePageSize,
  parseRef,
  type Sealed,
  TransientKey,
} from '@careledger/contract';
import { LabResult, LabResultPage, Receipt } from '@careledger/contract/assets';
import { authorize, authorizeRead } from '../access-guard';
import { actorOf, resolveCaller, txTime } from '../caller';
import { marshalString } from '../codec';
import { privateKeys, ranges } from '../keys';
import { privatePage, putPrivate, readPrivate } from '../ledger/private-records';
import { transientInput } from '../transient-input';

/**
 * Laboratory results: written by a lab technician under consent into the custodian's private
 * collection (endorsed by the custodian's peer), read per the matrix on that peer.
 */
@Info({ title: 'LabResults', description: 'LOINC-coded laboratory results' })
export class LabResultsContract extends Contract {
  constructor() {
    super('LabResults');
  }

  /**
   * Record a result (transient `labResult`, naming the patient's custodian). Idempotent on
   * resultId: the same content again is answered with the stored result's receipt.
   */
  @Transaction()
  @Returns('Receipt')
  public async record(ctx: Context): Promise<Receipt> {
    const caller = await resolveCaller(ctx);
    const input = transientInput(ctx, TransientKey.labResult, labResultSchema);
    const ref = { custodianMspId: input.custodianMspId, patientId: input.patientId };
    const allowed = await authorize(ctx, caller, 'recordLabResult', ref);
    const key = privateKeys.labResult(input.patientId, caller.mspId, input.resultId);
    const receipt: Receipt = {
      id: input.resultId,
      patientId: input.patientId,
      custodianMspId: input.custodianMspId,
      at: txTime(ctx).toISOString(),
      by: actorOf(caller),
      txId: ctx.stub.getTxID(),
      replayed: false,
      consentId: allowed.consentId ?? '',
    };
    const stored = await readPrivate<LabResult>(ctx, ref.custodianMspId, key);
    if (stored) {
      const storedReceipt = {
        ...receipt,
        at: stored.recordedAt,
        by: stored.recordedBy,
        consentId: stored.consentId,
      };
      if (marshalString(labResultOf(input, storedReceipt)) === marshalString(stored)) {
        return { ...storedReceipt, replayed: true };
      }
      throw new ChaincodeError(
        'CONFLICT',
        `lab result ${input.resultId} already exists with different content`,
      );
    }
    await putPrivate(ctx, ref.custodianMspId, key, labResultOf(input, receipt));
    return receipt;
  }

  /** A patient's results, a page at a time; a lab sees only its own. */
  @Transaction(false)
  @Returns('SealedAnswer')
  public async query(
    ctx: Context,
    custodianMspId: string,
    patientId: string,
    pageSize: string,
    bookmark: string,
  ): Promise<Sealed<LabResultPage>> {
    const ref = parseRef(custodianMspId, patientId);
    const size = parsePageSize(pageSize);
    const caller = await resolveCaller(ctx);
    const isLab = caller.orgType === 'lab';
    await authorizeRead(ctx, caller, 'readLabResults', ref, { ownRecords: isLab });
    return sealForCaller(
      ctx,
      privatePage<LabResult>(
        ctx,
        ref.custodianMspId,
        ranges.labResultsOf(ref.patientId),
        size,
        bookmark,
        (r) => !isLab || r.labMspId === caller.mspId,
      ),
    );
  }
}
