import type Router from '@koa/router';
import type { Page, PatientRef } from '@careledger/contract';
import type { Resource } from '@medplum/fhirtypes';
import type { Context } from 'koa';
import { ApiError } from '../errors/error-catalog';
import type { CareLedger, LedgerAnswer } from '../ledger/care-ledger';
import type { CallOptions } from '../ledger/ledger-client';
import { auditEventOf } from './audit-event';
import { consentResourceOf } from './consent-resource';
import { deviceResourceOf } from './device-resource';
import { decodeFhirId } from './fhir-id';
import { medicationRequestOf } from './medication-request';
import { patientOfFhirId } from './observation-reading';
import { parsePatientSearch, type PatientSearch } from './patient-search';
import { patientOf } from './patient-resource';
import { searchsetOf } from './searchset';

/** What the routes of the other resource types need from the FHIR router. */
export interface RecordRouteDeps {
  readonly careLedger: CareLedger;
  readonly options: (ctx: Context) => CallOptions;
  readonly respond: (ctx: Context, status: number, body: unknown) => void;
  readonly baseUrl: (ctx: Context) => string;
}

const notFound = (type: string, id: string) => new ApiError('NOT_FOUND', `no ${type} ${id}`);

/** The parts of `<type>/<id>` that name a record of `count` ids, or NOT_FOUND. */
function partsOf(type: string, id: string, count: number): string[] {
  const parts = decodeFhirId(id);
  if (parts?.length !== count) throw notFound(type, id);
  return parts;
}

/**
 * Records the ledger keeps at the custodian only, read by patient id alone (consents, the
 * access log): a patient of another hospital cannot be named there, so it is refused rather
 * than taken for the caller's own patient of the same id.
 */
function ownPatient(ref: PatientRef, o: CallOptions, what: string): string {
  if (ref.custodianMspId !== o.mspId)
    throw new ApiError(
      'ACCESS_DENIED',
      `${what} of ${ref.custodianMspId}'s patients are read at ${ref.custodianMspId}, not through ${o.mspId}`,
    );
  return ref.patientId;
}

/**
 * Patient, Device, MedicationRequest, Consent and AuditEvent: each from the CareLedger facade
 * call its /api/v1 route makes, as the caller, so the ledger decides (and logs) as for REST.
 */
export function addRecordRoutes(router: Router, deps: RecordRouteDeps): void {
  const { careLedger, options, respond } = deps;
  const search = async <T>(
    ctx: Context,
    resourceType: string,
    list: (o: CallOptions, s: PatientSearch) => Promise<LedgerAnswer<Page<T>>>,
    map: (record: T) => Resource,
  ) => {
    const o = options(ctx);
    const s = parsePatientSearch(ctx.query, resourceType, o.mspId);
    const page = (await list(o, s)).value;
    respond(
      ctx,
      200,
      searchsetOf({
        baseUrl: deps.baseUrl(ctx),
        resourceType,
        querystring: ctx.querystring,
        resources: page.records.map(map),
        ...(page.bookmark === '' ? {} : { next: page.bookmark }),
      }),
    );
  };
  const pageOf = (s: PatientSearch) => ({
    pageSize: s.count,
    ...(s.cursor === undefined ? {} : { bookmark: s.cursor }),
  });

  router.get('/Patient/:id', async (ctx) => {
    const id = ctx.params.id ?? '';
    const ref = patientOfFhirId(id, '');
    if (ref === undefined || ref.custodianMspId === '') throw notFound('Patient', id);
    const answer = await careLedger.patients.readDemographics(options(ctx), ref);
    respond(ctx, 200, patientOf(ref, answer.value));
  });

  router.get('/Device/:id', async (ctx) => {
    const id = ctx.params.id ?? '';
    const [orgMspId, deviceId] = partsOf('Device', id, 2) as [string, string];
    const o = options(ctx);
    if (orgMspId !== o.mspId)
      throw new ApiError(
        'ACCESS_DENIED',
        `devices of ${orgMspId} are read by ${orgMspId} only, not by ${o.mspId}`,
      );
    respond(ctx, 200, deviceResourceOf((await careLedger.devices.get(o, deviceId)).value));
  });

  router.get('/MedicationRequest/:id', async (ctx) => {
    const id = ctx.params.id ?? '';
    const [custodianMspId, patientId, prescriptionId] = partsOf('MedicationRequest', id, 3) as [
      string,
      string,
      string,
    ];
    const versions = (
      await careLedger.prescriptions.history(options(ctx), { custodianMspId, patientId }, prescriptionId)
    ).value;
    // History is newest first: the first version that is not a deletion is the prescription now.
    const current = versions.find((v) => !v.isDelete)?.value;
    if (current === undefined) throw notFound('MedicationRequest', id);
    respond(ctx, 200, medicationRequestOf(current));
  });
  router.get('/MedicationRequest', (ctx) =>
    search(
      ctx,
      'MedicationRequest',
      (o, s) => careLedger.prescriptions.query(o, s.ref, pageOf(s)),
      medicationRequestOf,
    ),
  );

  router.get('/Consent', (ctx) => {
    const now = new Date();
    return search(
      ctx,
      'Consent',
      (o, s) => careLedger.consents.list(o, ownPatient(s.ref, o, 'Consents'), pageOf(s)),
      (c) => consentResourceOf(c, now),
    );
  });

  router.get('/AuditEvent', (ctx) =>
    search(
      ctx,
      'AuditEvent',
      (o, s) => careLedger.accessLog.list(o, ownPatient(s.ref, o, 'Access logs'), pageOf(s)),
      auditEventOf,
    ),
  );
}
