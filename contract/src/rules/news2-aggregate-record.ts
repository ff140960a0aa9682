import { z } from 'zod';
import { news2Parameters, type News2Aggregate } from './news2-aggregate';

const parameter = z.enum(news2Parameters);
const parameters = z.array(parameter).readonly();

/**
 * The schema of `news2Aggregate`'s answer as the REST gateway sends it
 * (`GET /patients/{id}/news2`), checked at compile time against `News2Aggregate` both ways. Kept
 * apart from the function so that the web front end, which bundles the function, does not
 * bundle zod.
 */
export const news2AggregateRecord = z.strictObject({
  total: z.number().int().min(0),
  risk: z.enum(['low', 'low-medium', 'medium', 'high']),
  response: z.string(),
  complete: z.boolean(),
  redScore: z.boolean(),
  missing: parameters,
  stale: parameters,
  assumed: parameters,
  parameters: z
    .array(
      z.strictObject({
        parameter,
        status: z.enum(['fresh', 'stale', 'missing', 'assumed']),
        counted: z.boolean(),
        score: z.literal([0, 1, 2, 3]).optional(),
        direction: z.enum(['low', 'high', 'none']).optional(),
        value: z
          .union([z.number(), z.boolean(), z.enum(['alert', 'confusion', 'voice', 'pain', 'unresponsive'])])
          .optional(),
        observedAt: z.string().optional(),
        ageMs: z.number().min(0).optional(),
      }),
    )
    .readonly(),
  summary: z.string(),
  maxAgeMs: z.number().int().positive(),
  computedAt: z.iso.datetime(),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const describes = <_ extends true>(): void => undefined;
describes<Same<z.output<typeof news2AggregateRecord>, News2Aggregate>>();
