import type { z } from 'zod';
import { ChaincodeError } from '../error-code';

/**
 * Parse a JSON argument against its schema.
 * @throws ChaincodeError INVALID_ARGUMENT naming the argument and the first bad field.
 */
export function parseJsonArgument<S extends z.ZodType>(
  schema: S,
  json: string,
  argument: string,
): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ChaincodeError('INVALID_ARGUMENT', `${argument}: not valid JSON`);
  }
  return parseValue(schema, raw, argument);
}

/** @throws ChaincodeError INVALID_ARGUMENT naming the first bad field. */
export function parseValue<S extends z.ZodType>(schema: S, value: unknown, argument: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [argument, ...(issue?.path ?? []).map(String)].join('.');
  throw new ChaincodeError('INVALID_ARGUMENT', `${path}: ${issue?.message ?? 'invalid'}`);
}

/** Page size given as a transaction argument string ('' = default). */
export function parsePageSize(raw: string, fallback = 50): number {
  if (raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 200) {
    throw new ChaincodeError('INVALID_ARGUMENT', `pageSize: must be an integer from 1 to 200, got '${raw}'`);
  }
  return n;
}
