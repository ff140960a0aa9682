import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { sealForCaller } from '../sealing/seal-for-caller';
import {
  ChaincodeError,
  demographicsSchema,
  idSchema,
  parsePageSize,
  parseRef,
  parseValue,
  type Sealed,
  TransientKey,
} from '@careledger/contract';
import { Demographics, Patient, PatientPage } from '@careledger/contract/assets';
import { authorize, authorizeAtOwnOrganization, authorizeRead } from '../access-guard';
import { resolveCaller, txTime } from '../caller';
import { keys, privateKeys, ranges } from '../keys';
import { putPrivate, readPrivate } from '../ledger/private-records';
import { createAsset, listPage, readAsset } from '../ledger/world-state';
import { transientInput } from '../transient-input';

/** Patients: pseudonymous public records; demographics in the custodian's private collection. */
@Info({ title: 'Patients', description: 'Patient registration and demographics' })
export class PatientsContract extends Contract {
  constructor() {
    super('Patients');
  }

  /**
   * Register a patient at the caller's hospital (the custodian). Demographics come as
   * transient data under `demographics` and go, salted, only to the custodian's implicit
   * collection. The id is the custodian's own: another hospital's patient of the same id is
   * another patient.
   */
  @Transaction()
  @Returns('Patient')
  public async register(ctx: Context, patientId: string): Promise<Patient> {
    parseValue(idSchema, patientId, 'patientId');
    const caller = await resolveCaller(ctx);
    authorizeAtOwnOrganization(caller, 'registerPatient');
    const demographics = transientInput(ctx, TransientKey.demographics, demographicsSchema);
    const today = txTime(ctx).toISOString().slice(0, 10);
    if (demographics.birthDate > today) {
      throw new ChaincodeError(
        'INVALID_ARGUMENT',
        `demographics.birthDate: ${demographics.birthDate} is after today (${today})`,
      );
    }
    const key = keys.patient(caller.mspId, patientId);
    if (await readAsset<Patient>(ctx, key)) {
      throw new ChaincodeError('CONFLICT', `patient ${patientId} already exists`);
    }
    await putPrivate(ctx, caller.mspId, privateKeys.demographics(patientId), demographics);
    const patient: Patient = {
      patientId,
      custodianMspId: caller.mspId,
      status: 'active',
      createdAt: txTime(ctx).toISOString(),
    };
    await createAsset(ctx, key, patient, caller.mspId);
    return patient;
  }

  /** The public summary (no identifiers), for the custodian's staff and the patient. */
  @Transaction(false)
  @Returns('Patient')
  public async get(ctx: Context, custodianMspId: string, patientId: string): Promise<Patient> {
    const ref = parseRef(custodianMspId, patientId);
    const caller = await resolveCaller(ctx);
    await authorize(ctx, caller, 'readPatient', ref);
    const patient = await readAsset<Patient>(ctx, keys.patient(ref.custodianMspId, ref.patientId));
    if (!patient) throw new ChaincodeError('INTERNAL', `patient ${patientId} vanished`);
    return patient;
  }

  /** The custodian's patients, a page at a time. */
  @Transaction(false)
  @Returns('PatientPage')
  public async list(ctx: Context, pageSize: string, bookmark: string): Promise<PatientPage> {
    const size = parsePageSize(pageSize);
    const caller = await resolveCaller(ctx);
    if (caller.orgType !== 'hospital' || !['admin', 'doctor', 'nurse'].includes(caller.role)) {
      throw new ChaincodeError('ACCESS_DENIED', `${caller.role} of ${caller.mspId} may not list patients`);
    }
    return listPage<Patient>(ctx, ranges.patientsOf(caller.mspId), size, bookmark);
  }

  /**
   * Demographics, following the matrix; evaluated on the custodian's peer, which alone holds
   * them. Another hospital is answered only after its logged `AccessLog:request`.
   */
  @Transaction(false)
  @Returns('SealedAnswer')
  public async readDemographics(
    ctx: Context,
    custodianMspId: string,
    patientId: string,
  ): Promise<Sealed<Demographics>> {
    const ref = parseRef(custodianMspId, patientId);
    const caller = await resolveCaller(ctx);
    await authorizeRead(ctx, caller, 'readDemographics', ref);
    const demographics = await readPrivate<Demographics>(
      ctx,
      custodianMspId,
      privateKeys.demographics(patientId),
    );
    if (!demographics) {
      throw new ChaincodeError('NOT_FOUND', `demographics of patient ${patientId} are not held by this peer`);
    }
    return sealForCaller(ctx, demographics);
  }
}
