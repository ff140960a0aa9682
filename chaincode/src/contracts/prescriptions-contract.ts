import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { sealForCaller } from '../sealing/seal-for-caller';
import {
  ChaincodeError,
  dispensationOf,
  dispensationSchema,
  idSchema,
  parsePageSize,
  parseRef,
  parseValue,
  type PatientRef,
  prescriptionOf,
  prescriptionSchema,
  type Sealed,
  TransientKey,
} from '@careledger/contract';
import {
  Dispensation,
  Prescription,
  PrescriptionPage,
  PrescriptionVersion,
  Receipt,
} from '@careledger/contract/assets';
import { authorize, authorizeRead, logAccess } from '../access-guard';
import { actorOf, resolveCaller, txTime } from '../caller';
import { privateKeys, ranges } from '../keys';
import { privateAll, privatePage, putPrivate, readPrivate } from '../ledger/private-records';
import { maxHistoryEntries } from '../ledger/history-limit';
import { transientInput } from '../transient-input';

/** Write a prescription's current state and keep it as a version (private data has no key history). */
async function writePrescription(ctx: Context, ref: PatientRef, p: Prescription, at: string): Promise<void> {
  await putPrivate(ctx, ref.custodianMspId, privateKeys.prescription(ref.patientId, p.prescriptionId), p);
  const version: PrescriptionVersion = { txId: ctx.stub.getTxID(), timestamp: at, isDelete: false, value: p };
  await putPrivate(
    ctx,
    ref.custodianMspId,
    privateKeys.prescriptionVersion(ref.patientId, p.prescriptionId, at, version.txId),
    version,
  );
}

/**
 * Prescriptions by custodian doctors and their dispensation by pharmacies under consent, in
 * the custodian's private collection.
 */
@Info({ title: 'Prescriptions', description: 'ATC-coded prescriptions and dispensations' })
export class PrescriptionsContract extends Contract {
  constructor() {
    super('Prescriptions');
  }

  /** Prescribe (transient `prescription`) for a patient of the caller's hospital. */
  @Transaction()
  @Returns('Receipt')
  public async prescribe(ctx: Context): Promise<Receipt> {
    const caller = await resolveCaller(ctx);
    const input = transientInput(ctx, TransientKey.prescription, prescriptionSchema);
    const ref = { custodianMspId: caller.mspId, patientId: input.patientId };
    await authorize(ctx, caller, 'prescribe', ref);
    const key = privateKeys.prescription(ref.patientId, input.prescriptionId);
    if (await readPrivate<Prescription>(ctx, ref.custodianMspId, key)) {
      throw new ChaincodeError('CONFLICT', `prescription ${input.prescriptionId} already exists`);
    }
    const receipt: Receipt = {
      id: input.prescriptionId,
      patientId: ref.patientId,
      custodianMspId: ref.custodianMspId,
      at: txTime(ctx).toISOString(),
      by: actorOf(caller),
      txId: ctx.stub.getTxID(),
      replayed: false,
    };
    await writePrescription(ctx, ref, prescriptionOf(input, receipt), receipt.at);
    return receipt;
  }

  /** A patient's prescriptions. */
  @Transaction(false)
  @Returns('SealedAnswer')
  public async query(
    ctx: Context,
    custodianMspId: string,
    patientId: string,
    pageSize: string,
    bookmark: string,
  ): Promise<Sealed<PrescriptionPage>> {
    const ref = parseRef(custodianMspId, patientId);
    const size = parsePageSize(pageSize);
    const caller = await resolveCaller(ctx);
    await authorizeRead(ctx, caller, 'readPrescriptions', ref);
    return sealForCaller(
      ctx,
      privatePage<Prescription>(
        ctx,
        ref.custodianMspId,
        ranges.prescriptionsOf(ref.patientId),
        size,
        bookmark,
      ),
    );
  }

  /**
   * Hand out (part of) a prescription (transient `dispensation`, naming the custodian);
   * idempotent on dispensationId. The pharmacy's read of the prescription is logged.
   */
  @Transaction()
  @Returns('Receipt')
  public async dispense(ctx: Context): Promise<Receipt> {
    const caller = await resolveCaller(ctx);
    const input = transientInput(ctx, TransientKey.dispensation, dispensationSchema);
    const ref = { custodianMspId: input.custodianMspId, patientId: input.patientId };
    const allowed = await authorize(ctx, caller, 'dispense', ref);
    const prescription = await readPrivate<Prescription>(
      ctx,
      ref.custodianMspId,
      privateKeys.prescription(ref.patientId, input.prescriptionId),
    );
    if (!prescription) {
      throw new ChaincodeError(
        'NOT_FOUND',
        `prescription ${input.prescriptionId} of patient ${input.patientId} does not exist`,
      );
    }
    const key = privateKeys.dispensation(
      ref.patientId,
      input.prescriptionId,
      caller.mspId,
      input.dispensationId,
    );
    const receipt: Receipt = {
      id: input.dispensationId,
      patientId: ref.patientId,
      custodianMspId: ref.custodianMspId,
      at: txTime(ctx).toISOString(),
      by: actorOf(caller),
      txId: ctx.stub.getTxID(),
      replayed: false,
      consentId: allowed.consentId ?? '',
    };
    const stored = await readPrivate<Dispensation>(ctx, ref.custodianMspId, key);
    if (stored) {
      if (stored.quantity === input.quantity) {
        return {
          ...receipt,
          at: stored.dispensedAt,
          by: stored.dispensedBy,
          consentId: stored.consentId,
          replayed: true,
        };
      }
      throw new ChaincodeError(
        'CONFLICT',
        `dispensation ${input.dispensationId} already exists with different content`,
      );
    }
    const remaining = prescription.quantity - prescription.dispensedQuantity;
    if (input.quantity > remaining) {
      throw new ChaincodeError(
        'PRECONDITION_FAILED',
        `prescription ${input.prescriptionId} has ${remaining} left; cannot dispense ${input.quantity}`,
      );
    }
    await putPrivate(ctx, ref.custodianMspId, key, dispensationOf(input, receipt));
    await writePrescription(
      ctx,
      ref,
      { ...prescription, dispensedQuantity: prescription.dispensedQuantity + input.quantity },
      receipt.at,
    );
    await logAccess(ctx, caller, ref, 'dispense', allowed);
    return receipt;
  }

  /** Every version of a prescription, newest first (each dispensation changes its count). */
  @Transaction(false)
  @Returns('SealedAnswer')
  public async history(
    ctx: Context,
    custodianMspId: string,
    patientId: string,
    prescriptionId: string,
  ): Promise<Sealed<PrescriptionVersion[]>> {
    const ref = parseRef(custodianMspId, patientId);
    parseValue(idSchema, prescriptionId, 'prescriptionId');
    const caller = await resolveCaller(ctx);
    await authorizeRead(ctx, caller, 'readPrescriptions', ref);
    const versions = await privateAll<PrescriptionVersion>(
      ctx,
      ref.custodianMspId,
      ranges.prescriptionVersionsOf(ref.patientId, prescriptionId),
      maxHistoryEntries,
    );
    return sealForCaller(ctx, versions.reverse());
  }
}
