import type { Context } from 'fabric-contract-api';
import type { z } from 'zod';
import { ChaincodeError, parseJsonArgument, type TransientKey } from '@careledger/contract';

/**
 * The JSON input a transaction takes as transient data, parsed against its schema.
 * @throws ChaincodeError INVALID_ARGUMENT when it is missing, not JSON or not valid.
 */
export function transientInput<S extends z.ZodType>(ctx: Context, key: TransientKey, schema: S): z.infer<S> {
  const bytes = ctx.stub.getTransient().get(key);
  if (!bytes || bytes.length === 0) {
    throw new ChaincodeError('INVALID_ARGUMENT', `${key}: missing; send it as transient data '${key}'`);
  }
  return parseJsonArgument(schema, Buffer.from(bytes).toString('utf8'), key);
}
