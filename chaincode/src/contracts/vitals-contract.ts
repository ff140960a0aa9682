import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { authorize, requirePatient } from '../access-guard';
import { VitalSignPage } from '../assets/pages';
import { RecordResult, VitalSign } from '../assets/vital-sign';
import { resolveCaller } from '../caller';
import { ChaincodeError } from '../error-code';
import { keys, ranges } from '../keys';
import { readAsset, scanPage } from '../ledger/world-state';
import { idSchema, readingBatchSchema, readingSchema, vitalsQuerySchema } from '../rules/input-schemas';
import { parseJsonArgument, parseValue } from '../rules/parse-input';
import { recordReadings } from '../vital-recorder';

/** Vital-sign readings: recorded by bound devices and clinicians, read per the matrix. */
@Info({ title: 'Vitals', description: 'Vital-sign readings with NEWS2 classification' })
export class VitalsContract extends Contract {
  constructor() {
    super('Vitals');
  }

  /** Record one reading (idempotent on its readingId). */
  @Transaction()
  @Returns('RecordResult')
  public async record(ctx: Context, readingJson: string): Promise<RecordResult> {
    const reading = parseJsonArgument(readingSchema, readingJson, 'reading');
    const caller = await resolveCaller(ctx);
    const [result] = await recordReadings(ctx, caller, [reading]);
    if (!result) throw new ChaincodeError('INTERNAL', 'no result for a recorded reading');
    return result;
  }

  /** Record up to 50 readings in one transaction; all or none are stored. */
  @Transaction()
  @Returns('RecordResult[]')
  public async recordBatch(ctx: Context, readingsJson: string): Promise<RecordResult[]> {
    const readings = parseJsonArgument(readingBatchSchema, readingsJson, 'readings');
    const caller = await resolveCaller(ctx);
    return recordReadings(ctx, caller, readings);
  }

  /** One reading by id (submitted: a read by another hospital is logged). */
  @Transaction()
  @Returns('VitalSign')
  public async get(ctx: Context, patientId: string, readingId: string): Promise<VitalSign> {
    parseValue(idSchema, patientId, 'patientId');
    parseValue(idSchema, readingId, 'readingId');
    const caller = await resolveCaller(ctx);
    const patient = await requirePatient(ctx, patientId);
    await authorize(ctx, caller, 'readVitals', patient);
    const index = await readAsset<{ patientId: string; key: string }>(ctx, keys.readingIndex(readingId));
    const vital =
      index && index.patientId === patientId ? await readAsset<VitalSign>(ctx, index.key) : undefined;
    if (!vital)
      throw new ChaincodeError('NOT_FOUND', `reading ${readingId} of patient ${patientId} does not exist`);
    return vital;
  }

  /** Readings of a patient in [from, to), optionally of one type, oldest first, a page at a time. */
  @Transaction()
  @Returns('VitalSignPage')
  public async query(ctx: Context, queryJson: string): Promise<VitalSignPage> {
    const query = parseJsonArgument(vitalsQuerySchema, queryJson, 'query');
    const from = query.from === undefined ? undefined : new Date(query.from).toISOString();
    const to = query.to === undefined ? undefined : new Date(query.to).toISOString();
    if (from !== undefined && to !== undefined && from >= to) {
      throw new ChaincodeError('INVALID_ARGUMENT', 'query.to: must be after query.from');
    }
    const caller = await resolveCaller(ctx);
    const patient = await requirePatient(ctx, query.patientId);
    await authorize(ctx, caller, 'readVitals', patient);
    return scanPage<VitalSign>(
      ctx,
      ranges.vitalsOf(query.patientId, from, to),
      query.pageSize ?? 50,
      query.bookmark ?? '',
      (v) => query.type === undefined || v.type === query.type,
    );
  }
}
