import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { authorize, requirePatient } from '../access-guard';
import { LabResult } from '../assets/lab-result';
import { LabResultPage } from '../assets/pages';
import { actorOf, resolveCaller, txTime } from '../caller';
import { marshalString } from '../codec';
import { ChaincodeError } from '../error-code';
import { keys, ranges } from '../keys';
import { createAsset, readAsset, scanPage } from '../ledger/world-state';
import { idSchema, labResultSchema } from '../rules/input-schemas';
import { parseJsonArgument, parsePageSize, parseValue } from '../rules/parse-input';

/** Laboratory results: written by a lab technician under consent, read per the matrix. */
@Info({ title: 'LabResults', description: 'LOINC-coded laboratory results' })
export class LabResultsContract extends Contract {
  constructor() {
    super('LabResults');
  }

  /** Record a result (idempotent on resultId: the same content again is answered, not stored twice). */
  @Transaction()
  @Returns('LabResult')
  public async record(ctx: Context, labResultJson: string): Promise<LabResult> {
    const input = parseJsonArgument(labResultSchema, labResultJson, 'labResult');
    const caller = await resolveCaller(ctx);
    const patient = await requirePatient(ctx, input.patientId);
    const allowed = await authorize(ctx, caller, 'recordLabResult', patient);
    const key = keys.labResult(input.patientId, input.resultId);
    const { value, ...rest } = input;
    const result: LabResult = {
      ...rest,
      value: typeof value === 'number' ? value : undefined,
      valueText: typeof value === 'string' ? value : undefined,
      observedAt: new Date(input.observedAt).toISOString(),
      labMspId: caller.mspId,
      recordedAt: txTime(ctx).toISOString(),
      recordedBy: actorOf(caller),
      consentId: allowed.consentId ?? '',
    };
    const stored = await readAsset<LabResult>(ctx, key);
    if (stored) {
      const same = (r: LabResult) =>
        marshalString({ ...r, recordedAt: '', recordedBy: undefined, consentId: '' });
      if (same(stored) === same(result)) return stored;
      throw new ChaincodeError(
        'CONFLICT',
        `lab result ${input.resultId} already exists with different content`,
      );
    }
    await createAsset(ctx, key, result, patient.custodianMspId);
    return result;
  }

  /** A patient's results, a page at a time (submitted: reads by other organisations are logged). */
  @Transaction()
  @Returns('LabResultPage')
  public async query(
    ctx: Context,
    patientId: string,
    pageSize: string,
    bookmark: string,
  ): Promise<LabResultPage> {
    parseValue(idSchema, patientId, 'patientId');
    const size = parsePageSize(pageSize);
    const caller = await resolveCaller(ctx);
    const patient = await requirePatient(ctx, patientId);
    const isLab = caller.orgType === 'lab';
    // A technician sees only the results their own lab wrote: the scan filters to them.
    await authorize(ctx, caller, 'readLabResults', patient, { ownRecords: isLab });
    return scanPage<LabResult>(
      ctx,
      ranges.labResultsOf(patientId),
      size,
      bookmark,
      (r) => !isLab || r.labMspId === caller.mspId,
    );
  }
}
