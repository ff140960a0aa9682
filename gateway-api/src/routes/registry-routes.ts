import {
  deviceSchema,
  idSchema,
  mspIdSchema,
  organizationSchema,
  demographicsSchema,
} from '@careledger/contract';
import { z } from 'zod';
import { custodianQuery, pageQuery, patientParams, patientRef } from './route-schemas';
import { defineRoute } from './route-spec';

const mspParams = z.strictObject({ mspId: mspIdSchema });
const deviceParams = z.strictObject({ deviceId: idSchema });

/** Organisations, patients and devices. */
export const registryRoutes = [
  defineRoute({
    method: 'get',
    path: '/organizations',
    tag: 'Organizations',
    summary: 'List the organisation registry',
    transaction: 'Organizations:list',
    invoke: (l, _i, o) => l.organizations.list(o),
  }),
  defineRoute({
    method: 'get',
    path: '/organizations/:mspId',
    tag: 'Organizations',
    summary: 'One organisation',
    params: mspParams,
    transaction: 'Organizations:get',
    invoke: (l, i, o) => l.organizations.get(o, i.params.mspId),
  }),
  defineRoute({
    method: 'put',
    path: '/organizations/:mspId',
    tag: 'Organizations',
    summary: 'Add or change an organisation of the registry (the registry steward’s admin)',
    params: mspParams,
    body: organizationSchema.omit({ mspId: true }),
    transaction: 'Organizations:upsert',
    invoke: (l, i, o) => l.organizations.upsert(o, { mspId: i.params.mspId, ...i.body }),
  }),
  defineRoute({
    method: 'post',
    path: '/patients',
    tag: 'Patients',
    summary: "Register a patient at the caller's hospital; demographics travel as private (transient) data",
    body: z.strictObject({ patientId: idSchema, demographics: demographicsSchema }),
    transaction: 'Patients:register',
    invoke: (l, i, o) => l.patients.register(o, i.body.patientId, i.body.demographics),
    status: 201,
  }),
  defineRoute({
    method: 'get',
    path: '/patients',
    tag: 'Patients',
    summary: "The custodian's patients",
    query: pageQuery,
    transaction: 'Patients:list',
    invoke: (l, i, o) => l.patients.list(o, i.query),
    paged: true,
  }),
  defineRoute({
    method: 'get',
    path: '/patients/:patientId',
    tag: 'Patients',
    summary: 'Public summary of a patient (pseudonymous id, custodian, status)',
    params: patientParams,
    query: custodianQuery,
    transaction: 'Patients:get',
    invoke: (l, i, o) => l.patients.get(o, patientRef(i, o)),
  }),
  defineRoute({
    method: 'get',
    path: '/patients/:patientId/demographics',
    tag: 'Patients',
    summary: 'Demographics, read on the custodian’s peer (other organisations’ reads are logged first)',
    params: patientParams,
    query: custodianQuery,
    transaction: 'Patients:readDemographics',
    invoke: (l, i, o) => l.patients.readDemographics(o, patientRef(i, o)),
  }),
  defineRoute({
    method: 'post',
    path: '/devices',
    tag: 'Devices',
    summary: 'Register a device, optionally bound to a patient',
    body: deviceSchema,
    transaction: 'Devices:register',
    invoke: (l, i, o) => l.devices.register(o, i.body),
    status: 201,
  }),
  defineRoute({
    method: 'put',
    path: '/devices/:deviceId/patient',
    tag: 'Devices',
    summary: 'Bind a device to a patient',
    params: deviceParams,
    body: z.strictObject({ patientId: idSchema }),
    transaction: 'Devices:bind',
    invoke: (l, i, o) => l.devices.bind(o, i.params.deviceId, i.body.patientId),
  }),
  defineRoute({
    method: 'get',
    path: '/devices/:deviceId',
    tag: 'Devices',
    summary: 'One device',
    params: deviceParams,
    transaction: 'Devices:get',
    invoke: (l, i, o) => l.devices.get(o, i.params.deviceId),
  }),
  defineRoute({
    method: 'post',
    path: '/devices/signing-key',
    tag: 'Devices',
    summary:
      "The calling device enrols its own certificate's key, which its signed readings (`POST /vitals/signed`) are verified with (idempotent)",
    transaction: 'Devices:enrollKey',
    invoke: (l, _i, o) => l.devices.enrollKey(o),
    status: 201,
    replayAnswers200: true,
  }),
];
