import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { authorize, requirePatient } from '../access-guard';
import { AccessLogEntry } from '../assets/access-log-entry';
import { AccessLogPage } from '../assets/pages';
import { resolveCaller } from '../caller';
import { ranges } from '../keys';
import { listPage } from '../ledger/world-state';
import { idSchema } from '../rules/input-schemas';
import { parsePageSize, parseValue } from '../rules/parse-input';

/** Who outside the custodian read a patient's data, visible to the patient and the custodian's admin. */
@Info({ title: 'AccessLog', description: 'Cross-organisation reads of patient data' })
export class AccessLogContract extends Contract {
  constructor() {
    super('AccessLog');
  }

  @Transaction(false)
  @Returns('AccessLogPage')
  public async list(
    ctx: Context,
    patientId: string,
    pageSize: string,
    bookmark: string,
  ): Promise<AccessLogPage> {
    parseValue(idSchema, patientId, 'patientId');
    const size = parsePageSize(pageSize);
    const caller = await resolveCaller(ctx);
    const patient = await requirePatient(ctx, patientId);
    await authorize(ctx, caller, 'readAccessLog', patient);
    return listPage<AccessLogEntry>(ctx, ranges.accessLogOf(patientId), size, bookmark);
  }
}
