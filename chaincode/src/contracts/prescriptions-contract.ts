import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { authorize, requirePatient } from '../access-guard';
import { PrescriptionPage, PrescriptionVersion } from '../assets/pages';
import { Dispensation, Prescription } from '../assets/prescription';
import { actorOf, resolveCaller, txTime } from '../caller';
import { anchorPrescription, isPrescriptionAnchored } from '../custodian-anchor';
import { ChaincodeError } from '../error-code';
import { keys, ranges } from '../keys';
import { keyHistory } from '../ledger/key-history';
import { createAsset, readAsset, scanPage, updateAsset } from '../ledger/world-state';
import { dispensationSchema, idSchema, prescriptionSchema } from '../rules/input-schemas';
import { parseJsonArgument, parsePageSize, parseValue } from '../rules/parse-input';

/** Prescriptions by custodian doctors and their dispensation by pharmacies under consent. */
@Info({ title: 'Prescriptions', description: 'ATC-coded prescriptions and dispensations' })
export class PrescriptionsContract extends Contract {
  constructor() {
    super('Prescriptions');
  }

  @Transaction()
  @Returns('Prescription')
  public async prescribe(ctx: Context, prescriptionJson: string): Promise<Prescription> {
    const input = parseJsonArgument(prescriptionSchema, prescriptionJson, 'prescription');
    const caller = await resolveCaller(ctx);
    const patient = await requirePatient(ctx, input.patientId);
    await authorize(ctx, caller, 'prescribe', patient);
    const key = keys.prescription(input.patientId, input.prescriptionId);
    if (await readAsset<Prescription>(ctx, key)) {
      throw new ChaincodeError('CONFLICT', `prescription ${input.prescriptionId} already exists`);
    }
    const prescription: Prescription = {
      ...input,
      custodianMspId: patient.custodianMspId,
      dispensedQuantity: 0,
      prescribedAt: txTime(ctx).toISOString(),
      prescribedBy: actorOf(caller),
    };
    await createAsset(ctx, key, prescription, patient.custodianMspId);
    await anchorPrescription(ctx, prescription);
    return prescription;
  }

  /** A patient's prescriptions (submitted: a pharmacy's read is logged). */
  @Transaction()
  @Returns('PrescriptionPage')
  public async query(
    ctx: Context,
    patientId: string,
    pageSize: string,
    bookmark: string,
  ): Promise<PrescriptionPage> {
    parseValue(idSchema, patientId, 'patientId');
    const size = parsePageSize(pageSize);
    const caller = await resolveCaller(ctx);
    const patient = await requirePatient(ctx, patientId);
    await authorize(ctx, caller, 'readPrescriptions', patient);
    return scanPage<Prescription>(ctx, ranges.prescriptionsOf(patientId), size, bookmark);
  }

  /** Hand out (part of) a prescription; idempotent on dispensationId. */
  @Transaction()
  @Returns('Dispensation')
  public async dispense(ctx: Context, dispensationJson: string): Promise<Dispensation> {
    const input = parseJsonArgument(dispensationSchema, dispensationJson, 'dispensation');
    const caller = await resolveCaller(ctx);
    const patient = await requirePatient(ctx, input.patientId);
    const allowed = await authorize(ctx, caller, 'dispense', patient);
    const rxKey = keys.prescription(input.patientId, input.prescriptionId);
    const prescription = await readAsset<Prescription>(ctx, rxKey);
    if (!prescription) {
      throw new ChaincodeError(
        'NOT_FOUND',
        `prescription ${input.prescriptionId} of patient ${input.patientId} does not exist`,
      );
    }
    if (!(await isPrescriptionAnchored(ctx, prescription))) {
      throw new ChaincodeError(
        'PRECONDITION_FAILED',
        `prescription ${input.prescriptionId} was not endorsed by the custodian ${prescription.custodianMspId}`,
      );
    }
    const key = keys.dispensation(input.patientId, input.prescriptionId, input.dispensationId);
    const stored = await readAsset<Dispensation>(ctx, key);
    if (stored) {
      if (stored.quantity === input.quantity && stored.pharmacyMspId === caller.mspId) return stored;
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
    const at = txTime(ctx).toISOString();
    const dispensation: Dispensation = {
      ...input,
      pharmacyMspId: caller.mspId,
      dispensedAt: at,
      dispensedBy: actorOf(caller),
      consentId: allowed.consentId ?? '',
    };
    await createAsset(ctx, key, dispensation, patient.custodianMspId);
    await updateAsset(ctx, rxKey, {
      ...prescription,
      dispensedQuantity: prescription.dispensedQuantity + input.quantity,
    });
    return dispensation;
  }

  /** Every version of a prescription, newest first (each dispensation changes its count). */
  @Transaction()
  @Returns('PrescriptionVersion[]')
  public async history(
    ctx: Context,
    patientId: string,
    prescriptionId: string,
  ): Promise<PrescriptionVersion[]> {
    parseValue(idSchema, patientId, 'patientId');
    parseValue(idSchema, prescriptionId, 'prescriptionId');
    const caller = await resolveCaller(ctx);
    const patient = await requirePatient(ctx, patientId);
    await authorize(ctx, caller, 'readPrescriptions', patient);
    return keyHistory<Prescription>(ctx, keys.prescription(patientId, prescriptionId));
  }
}
