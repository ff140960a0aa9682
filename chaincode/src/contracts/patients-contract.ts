import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { authorize, authorizeAtOwnOrganization, requirePatient } from '../access-guard';
import { Demographics } from '../assets/demographics';
import { Patient } from '../assets/patient';
import { PatientPage } from '../assets/pages';
import { actorOf, resolveCaller, txTime } from '../caller';
import { marshal, unmarshal } from '../codec';
import { ChaincodeError } from '../error-code';
import { keys, ranges } from '../keys';
import { createAsset, listPage, readAsset } from '../ledger/world-state';
import { implicitCollection, sha256Hex } from '../private-data';
import { demographicsSchema, idSchema } from '../rules/input-schemas';
import { DEMOGRAPHICS_TRANSIENT_KEY } from '../wire-names';
import { parsePageSize, parseValue, parseJsonArgument } from '../rules/parse-input';

/** Patients: pseudonymous public records; demographics in the custodian's private collection. */
@Info({ title: 'Patients', description: 'Patient registration and demographics' })
export class PatientsContract extends Contract {
  constructor() {
    super('Patients');
  }

  /**
   * Register a patient at the caller's hospital (the custodian). Demographics come as
   * transient data under `demographics`, go only to the custodian's implicit collection,
   * and only their SHA-256 is public.
   */
  @Transaction()
  @Returns('Patient')
  public async register(ctx: Context, patientId: string): Promise<Patient> {
    parseValue(idSchema, patientId, 'patientId');
    const caller = await resolveCaller(ctx);
    authorizeAtOwnOrganization(caller, 'registerPatient');
    const transient = ctx.stub.getTransient().get(DEMOGRAPHICS_TRANSIENT_KEY);
    if (!transient || transient.length === 0) {
      throw new ChaincodeError(
        'INVALID_ARGUMENT',
        `demographics: missing; send them as transient data '${DEMOGRAPHICS_TRANSIENT_KEY}'`,
      );
    }
    const demographics = parseJsonArgument(
      demographicsSchema,
      Buffer.from(transient).toString('utf8'),
      'demographics',
    );
    if (await readAsset<Patient>(ctx, keys.patient(patientId))) {
      throw new ChaincodeError('CONFLICT', `patient ${patientId} already exists`);
    }
    const privateBytes = marshal(demographics);
    await ctx.stub.putPrivateData(implicitCollection(caller.mspId), patientId, privateBytes);
    const patient: Patient = {
      patientId,
      custodianMspId: caller.mspId,
      status: 'active',
      demographicsHash: sha256Hex(privateBytes),
      createdAt: txTime(ctx).toISOString(),
      createdBy: actorOf(caller),
    };
    await createAsset(ctx, keys.patient(patientId), patient, caller.mspId);
    await createAsset(ctx, keys.patientByCustodian(caller.mspId, patientId), patient, caller.mspId);
    return patient;
  }

  /** The public summary (no identifiers), for the custodian's staff and the patient. */
  @Transaction(false)
  @Returns('Patient')
  public async get(ctx: Context, patientId: string): Promise<Patient> {
    parseValue(idSchema, patientId, 'patientId');
    const caller = await resolveCaller(ctx);
    const patient = await requirePatient(ctx, patientId);
    await authorize(ctx, caller, 'readPatient', patient);
    return patient;
  }

  /**
   * The MSP ID of a patient's custodian, for any registered caller: clients need it to have
   * the custodian's peer endorse reads of private data. It reveals nothing else.
   */
  @Transaction(false)
  @Returns('string')
  public async custodianOf(ctx: Context, patientId: string): Promise<string> {
    parseValue(idSchema, patientId, 'patientId');
    await resolveCaller(ctx);
    const patient = await requirePatient(ctx, patientId);
    return patient.custodianMspId;
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
   * Demographics, following the matrix; a read by another hospital is logged, so this is
   * submitted, and it must be endorsed by the custodian's peer, which holds the data.
   */
  @Transaction()
  @Returns('Demographics')
  public async readDemographics(ctx: Context, patientId: string): Promise<Demographics> {
    parseValue(idSchema, patientId, 'patientId');
    const caller = await resolveCaller(ctx);
    const patient = await requirePatient(ctx, patientId);
    await authorize(ctx, caller, 'readDemographics', patient);
    const bytes = await ctx.stub.getPrivateData(implicitCollection(patient.custodianMspId), patientId);
    if (!bytes || bytes.length === 0) {
      throw new ChaincodeError('NOT_FOUND', `demographics of patient ${patientId} are not held by this peer`);
    }
    if (sha256Hex(bytes) !== patient.demographicsHash) {
      throw new ChaincodeError(
        'INTERNAL',
        `demographics of patient ${patientId} do not match their public hash`,
      );
    }
    return unmarshal<Demographics>(bytes);
  }
}
