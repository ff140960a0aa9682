import {
  consentGrantSchema,
  idSchema,
  accessLogEntryRecord,
  consentRecord,
  consentVersionRecord,
} from '@careledger/contract';
import { z } from 'zod';
import { pageQuery, patientParams } from './route-schemas';
import { defineRoute } from './route-spec';

const consentParams = z.strictObject({ patientId: idSchema, consentId: idSchema });

/** Consents and the access log. */
export const consentRoutes = [
  defineRoute({
    method: 'post',
    path: '/consents',
    tag: 'Consents',
    summary: 'Grant a consent (the patient, or the custodian’s admin)',
    body: consentGrantSchema,
    transaction: 'Consents:grant',
    response: consentRecord,
    invoke: (l, i, o) => l.consents.grant(o, i.body),
    status: 201,
  }),
  defineRoute({
    method: 'get',
    path: '/patients/:patientId/consents',
    tag: 'Consents',
    summary: "A patient's consents",
    params: patientParams,
    query: pageQuery,
    transaction: 'Consents:list',
    response: consentRecord,
    invoke: (l, i, o) => l.consents.list(o, i.params.patientId, i.query),
    paged: true,
  }),
  defineRoute({
    method: 'get',
    path: '/patients/:patientId/consents/:consentId',
    tag: 'Consents',
    summary: 'One consent',
    params: consentParams,
    transaction: 'Consents:get',
    response: consentRecord,
    invoke: (l, i, o) => l.consents.get(o, i.params.patientId, i.params.consentId),
  }),
  defineRoute({
    method: 'delete',
    path: '/patients/:patientId/consents/:consentId',
    tag: 'Consents',
    summary: 'Revoke a consent (effective at once)',
    params: consentParams,
    transaction: 'Consents:revoke',
    response: consentRecord,
    invoke: (l, i, o) => l.consents.revoke(o, i.params.patientId, i.params.consentId),
  }),
  defineRoute({
    method: 'get',
    path: '/patients/:patientId/consents/:consentId/history',
    tag: 'Consents',
    summary: 'Every version of a consent, newest first',
    params: consentParams,
    transaction: 'Consents:history',
    response: z.array(consentVersionRecord),
    invoke: (l, i, o) => l.consents.history(o, i.params.patientId, i.params.consentId),
  }),
  defineRoute({
    method: 'get',
    path: '/patients/:patientId/access-log',
    tag: 'Access log',
    summary: "Reads of the patient's data by other organisations",
    params: patientParams,
    query: pageQuery,
    transaction: 'AccessLog:list',
    response: accessLogEntryRecord,
    invoke: (l, i, o) => l.accessLog.list(o, i.params.patientId, i.query),
    paged: true,
  }),
];
