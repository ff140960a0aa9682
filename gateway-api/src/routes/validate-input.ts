import type { z } from 'zod';
import { ApiError } from '../errors/error-catalog';

/**
 * Validate one part of a request.
 * @throws ApiError INVALID_ARGUMENT with `details: {location, field, issue}` of the first problem.
 */
export function validateInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  location: 'path' | 'query' | 'body',
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = (issue?.path ?? []).map(String).join('.');
  const message = issue?.message ?? 'invalid';
  throw new ApiError('INVALID_ARGUMENT', `${location}${field ? ` ${field}` : ''}: ${message}`, {
    details: { location, field, issue: message },
  });
}
