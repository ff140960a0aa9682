import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { sealForCaller } from '../sealing/seal-for-caller';
import {
  ChaincodeError,
  idSchema,
  parseJsonArgument,
  parseRef,
  parseValue,
  readingBatchSchema,
  readingSchema,
  type Sealed,
  signedReadingBatchSchema,
  TransientKey,
  vitalsQuerySchema,
} from '@careledger/contract';
import {
  AlertAcknowledgement,
  ReadingOutcome,
  Receipt,
  VitalSign,
  VitalSignPage,
} from '@careledger/contract/assets';
import { authorize, authorizeRead } from '../access-guard';
import { actorOf, resolveCaller, txTime } from '../caller';
import { privateKeys, ranges } from '../keys';
import { privatePage, putPrivate, readPrivate } from '../ledger/private-records';
import { decideAcknowledgement } from '../rules/alert-acknowledgement';
import { transientInput } from '../transient-input';
import { recordSignedReadings } from '../signed-readings';
import { recordReadings } from '../vital-recorder';

/** A patient's reading by id (through the reading-id index), or NOT_FOUND. */
async function storedReading(
  ctx: Context,
  custodianMspId: string,
  patientId: string,
  readingId: string,
): Promise<VitalSign> {
  const index = await readPrivate<{ patientId: string; key: string }>(
    ctx,
    custodianMspId,
    privateKeys.readingIndex(readingId),
  );
  const vital =
    index && index.patientId === patientId
      ? await readPrivate<VitalSign>(ctx, custodianMspId, index.key)
      : undefined;
  if (!vital)
    throw new ChaincodeError('NOT_FOUND', `reading ${readingId} of patient ${patientId} does not exist`);
  return vital;
}

/**
 * Vital-sign readings: recorded by bound devices and clinicians into the custodian's private
 * collection, read per the matrix on the custodian's peer.
 */
@Info({ title: 'Vitals', description: 'Vital-sign readings with NEWS2 classification' })
export class VitalsContract extends Contract {
  constructor() {
    super('Vitals');
  }

  /** Record one reading (transient `reading`; idempotent on its readingId). */
  @Transaction()
  @Returns('Receipt')
  public async record(ctx: Context): Promise<Receipt> {
    const caller = await resolveCaller(ctx);
    const reading = transientInput(ctx, TransientKey.reading, readingSchema);
    const [receipt] = await recordReadings(ctx, caller, [reading]);
    if (!receipt) throw new ChaincodeError('INTERNAL', 'no receipt for a recorded reading');
    return receipt;
  }

  /** Record up to 50 readings (transient `readings`) in one transaction; all or none are stored. */
  @Transaction()
  @Returns('Receipt[]')
  public async recordBatch(ctx: Context): Promise<Receipt[]> {
    const caller = await resolveCaller(ctx);
    const readings = transientInput(ctx, TransientKey.readings, readingBatchSchema);
    return recordReadings(ctx, caller, readings);
  }

  /**
   * Record readings signed by their devices (transient `signedReadings`, up to 500), relayed by
   * any identity of the devices' hospital: each is verified and recorded on its own, as by its
   * device; one refused is answered with its error, and the others are recorded.
   */
  @Transaction()
  @Returns('ReadingOutcome[]')
  public async recordSigned(ctx: Context): Promise<ReadingOutcome[]> {
    const relayer = await resolveCaller(ctx);
    const signed = transientInput(ctx, TransientKey.signedReadings, signedReadingBatchSchema);
    return recordSignedReadings(ctx, relayer, signed);
  }

  /** One reading by id. */
  @Transaction(false)
  @Returns('SealedAnswer')
  public async get(
    ctx: Context,
    custodianMspId: string,
    patientId: string,
    readingId: string,
  ): Promise<Sealed<VitalSign>> {
    const ref = parseRef(custodianMspId, patientId);
    parseValue(idSchema, readingId, 'readingId');
    const caller = await resolveCaller(ctx);
    await authorizeRead(ctx, caller, 'readVitals', ref);
    const vital = await storedReading(ctx, ref.custodianMspId, patientId, readingId);
    return sealForCaller(ctx, vital);
  }

  /** Readings of a patient in [from, to), optionally of one type, oldest first, a page at a time. */
  @Transaction(false)
  @Returns('SealedAnswer')
  public async query(ctx: Context, queryJson: string): Promise<Sealed<VitalSignPage>> {
    const query = parseJsonArgument(vitalsQuerySchema, queryJson, 'query');
    const from = query.from === undefined ? undefined : new Date(query.from).toISOString();
    const to = query.to === undefined ? undefined : new Date(query.to).toISOString();
    if (from !== undefined && to !== undefined && from >= to) {
      throw new ChaincodeError('INVALID_ARGUMENT', 'query.to: must be after query.from');
    }
    const caller = await resolveCaller(ctx);
    const ref = { custodianMspId: query.custodianMspId ?? caller.mspId, patientId: query.patientId };
    await authorizeRead(ctx, caller, 'readVitals', ref);
    return sealForCaller(
      ctx,
      privatePage<VitalSign>(
        ctx,
        ref.custodianMspId,
        ranges.vitalsOf(query.patientId, from, to),
        query.pageSize ?? 50,
        query.bookmark ?? '',
        (v) => query.type === undefined || v.type === query.type,
      ),
    );
  }

  /**
   * Acknowledge the alert of one of the caller's own hospital's patients' abnormal or critical
   * readings (a nurse or doctor of the custodian): who and when, in the custodian's collection.
   * The first acknowledgement stays: another answers it, `replayed`, and writes nothing.
   * @throws ChaincodeError ACCESS_DENIED, NOT_FOUND (patient, reading), PRECONDITION_FAILED (no alert).
   */
  @Transaction()
  @Returns('Receipt')
  public async acknowledge(ctx: Context, patientId: string, readingId: string): Promise<Receipt> {
    parseValue(idSchema, patientId, 'patientId');
    parseValue(idSchema, readingId, 'readingId');
    const caller = await resolveCaller(ctx);
    const custodian = caller.mspId;
    await authorize(ctx, caller, 'acknowledgeAlert', { custodianMspId: custodian, patientId });
    const reading = await storedReading(ctx, custodian, patientId, readingId);
    const key = privateKeys.alertAcknowledgement(patientId, readingId);
    const stored = await readPrivate<AlertAcknowledgement>(ctx, custodian, key);
    const { record, replayed } = decideAcknowledgement(
      reading,
      stored,
      actorOf(caller),
      txTime(ctx).toISOString(),
      ctx.stub.getTxID(),
    );
    if (!replayed) await putPrivate(ctx, custodian, key, record);
    return {
      id: record.readingId,
      patientId: record.patientId,
      custodianMspId: record.custodianMspId,
      at: record.acknowledgedAt,
      by: record.acknowledgedBy,
      txId: record.txId,
      replayed,
      news2Score: record.news2Score,
      flag: record.flag,
    };
  }

  /** A reading's alert acknowledgement, read as the reading itself is (`readVitals`); NOT_FOUND if none. */
  @Transaction(false)
  @Returns('SealedAnswer')
  public async getAcknowledgement(
    ctx: Context,
    custodianMspId: string,
    patientId: string,
    readingId: string,
  ): Promise<Sealed<AlertAcknowledgement>> {
    const ref = parseRef(custodianMspId, patientId);
    parseValue(idSchema, readingId, 'readingId');
    const caller = await resolveCaller(ctx);
    await authorizeRead(ctx, caller, 'readVitals', ref);
    const ack = await readPrivate<AlertAcknowledgement>(
      ctx,
      ref.custodianMspId,
      privateKeys.alertAcknowledgement(patientId, readingId),
    );
    if (!ack) throw new ChaincodeError('NOT_FOUND', `the alert of reading ${readingId} is not acknowledged`);
    return sealForCaller(ctx, ack);
  }
}
