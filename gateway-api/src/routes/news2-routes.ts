import {
  latestNews2Observations,
  news2Aggregate,
  news2AggregateRecord,
  news2DefaultMaxAgeMs,
  type VitalSign,
} from '@careledger/contract';
import { z } from 'zod';
import { addTimings, type LedgerAnswer } from '../ledger/ledger-call';
import { custodianQuery, patientParams, patientRef } from './route-schemas';
import { defineRoute } from './route-spec';

/** Pages of 200 readings at most per answer: 10 000 readings (over 5 a second for 30 minutes). */
const maxPages = 50;

const news2Answer = news2AggregateRecord.extend({ patientId: z.string(), custodianMspId: z.string() });

/** The aggregate NEWS2 score of a patient, computed by the contract's `news2Aggregate`. */
export const news2Routes = [
  defineRoute({
    method: 'get',
    path: '/patients/:patientId/news2',
    tag: 'Vitals',
    summary:
      "A patient's aggregate NEWS2 now: total, clinical risk and its response, and which parameters are missing, stale (older than maxAgeMinutes, default 15: not counted) or assumed; from the readings observed in the last twice maxAgeMinutes",
    params: patientParams,
    query: custodianQuery.extend({
      maxAgeMinutes: z.coerce.number().int().min(1).max(1440).optional(),
    }),
    transaction: 'Vitals:query',
    operationId: 'Vitals_news2',
    response: news2Answer,
    invoke: async (l, i, o) => {
      const ref = patientRef(i, o);
      const now = Date.now();
      const maxAgeMs = (i.query.maxAgeMinutes ?? news2DefaultMaxAgeMs / 60_000) * 60_000;
      const readings: VitalSign[] = [];
      let answer: LedgerAnswer<unknown> | undefined;
      let timings = { attempts: 0 };
      let bookmark = '';
      for (let page = 0; page < maxPages; page++) {
        const read = await l.vitals.query(o, {
          patientId: ref.patientId,
          custodianMspId: ref.custodianMspId,
          from: new Date(now - 2 * maxAgeMs).toISOString(),
          pageSize: 200,
          ...(bookmark ? { bookmark } : {}),
        });
        answer ??= read;
        timings = addTimings(timings, read.timings);
        readings.push(...(read.value.records ?? []));
        bookmark = read.value.bookmark ?? '';
        if (!bookmark) break;
      }
      const aggregate = news2Aggregate(latestNews2Observations(readings), { now, maxAgeMs });
      return {
        ...answer,
        timings,
        value: { patientId: ref.patientId, custodianMspId: ref.custodianMspId, ...aggregate },
      };
    },
  }),
];
