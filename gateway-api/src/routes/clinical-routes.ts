import {
  dispensationSchema,
  idSchema,
  labResultSchema,
  maxBatchReadings,
  prescriptionSchema,
  readingSchema,
  timestampSchema,
  vitalTypes,
} from '@careledger/contract';
import { z } from 'zod';
import { custodianQuery, pageQuery, patientParams, patientRef } from './route-schemas';
import { defineRoute } from './route-spec';

/** Vital signs, lab results, prescriptions and dispensations. */
export const clinicalRoutes = [
  defineRoute({
    method: 'post',
    path: '/vitals',
    tag: 'Vitals',
    summary: 'Record one reading (idempotent on readingId)',
    body: readingSchema,
    transaction: 'Vitals:record',
    invoke: (l, i, o) => l.vitals.record(o, i.body),
    status: 201,
  }),
  defineRoute({
    method: 'post',
    path: '/vitals/batch',
    tag: 'Vitals',
    summary: `Record up to ${maxBatchReadings} readings in one transaction`,
    body: z.strictObject({ readings: z.array(readingSchema).min(1).max(maxBatchReadings) }),
    transaction: 'Vitals:recordBatch',
    invoke: (l, i, o) => l.vitals.recordBatch(o, i.body.readings),
    status: 201,
  }),
  defineRoute({
    method: 'get',
    path: '/patients/:patientId/vitals',
    tag: 'Vitals',
    summary: "A patient's readings in [from, to), optionally of one type",
    params: patientParams,
    query: pageQuery.extend(custodianQuery.shape).extend({
      from: timestampSchema.optional(),
      to: timestampSchema.optional(),
      type: z.enum(vitalTypes).optional(),
    }),
    transaction: 'Vitals:query',
    invoke: (l, i, o) => {
      const { custodian, ...query } = i.query;
      return l.vitals.query(o, {
        patientId: i.params.patientId,
        custodianMspId: custodian ?? o.mspId,
        ...query,
      });
    },
    paged: true,
  }),
  defineRoute({
    method: 'get',
    path: '/patients/:patientId/vitals/:readingId',
    tag: 'Vitals',
    summary: 'One reading',
    params: z.strictObject({ patientId: idSchema, readingId: idSchema }),
    query: custodianQuery,
    transaction: 'Vitals:get',
    invoke: (l, i, o) => l.vitals.get(o, patientRef(i, o), i.params.readingId),
  }),
  defineRoute({
    method: 'post',
    path: '/lab-results',
    tag: 'Lab results',
    summary:
      "Record a lab result (lab technician with consent); it is stored by the patient's custodian (`custodianMspId`)",
    body: labResultSchema,
    transaction: 'LabResults:record',
    invoke: (l, i, o) => l.labResults.record(o, i.body),
    status: 201,
  }),
  defineRoute({
    method: 'get',
    path: '/patients/:patientId/lab-results',
    tag: 'Lab results',
    summary: "A patient's lab results",
    params: patientParams,
    query: pageQuery.extend(custodianQuery.shape),
    transaction: 'LabResults:query',
    invoke: (l, i, o) => l.labResults.query(o, patientRef(i, o), i.query),
    paged: true,
  }),
  defineRoute({
    method: 'post',
    path: '/prescriptions',
    tag: 'Prescriptions',
    summary: 'Prescribe (custodian doctor)',
    body: prescriptionSchema,
    transaction: 'Prescriptions:prescribe',
    invoke: (l, i, o) => l.prescriptions.prescribe(o, i.body),
    status: 201,
  }),
  defineRoute({
    method: 'get',
    path: '/patients/:patientId/prescriptions',
    tag: 'Prescriptions',
    summary: "A patient's prescriptions",
    params: patientParams,
    query: pageQuery.extend(custodianQuery.shape),
    transaction: 'Prescriptions:query',
    invoke: (l, i, o) => l.prescriptions.query(o, patientRef(i, o), i.query),
    paged: true,
  }),
  defineRoute({
    method: 'get',
    path: '/patients/:patientId/prescriptions/:prescriptionId/history',
    tag: 'Prescriptions',
    summary: 'Every version of a prescription, newest first',
    params: z.strictObject({ patientId: idSchema, prescriptionId: idSchema }),
    query: custodianQuery,
    transaction: 'Prescriptions:history',
    invoke: (l, i, o) => l.prescriptions.history(o, patientRef(i, o), i.params.prescriptionId),
  }),
  defineRoute({
    method: 'post',
    path: '/dispensations',
    tag: 'Prescriptions',
    summary:
      "Dispense (pharmacist with consent) a prescription of the patient's custodian (`custodianMspId`)",
    body: dispensationSchema,
    transaction: 'Prescriptions:dispense',
    invoke: (l, i, o) => l.prescriptions.dispense(o, i.body),
    status: 201,
  }),
];
