import { bookmarkSchema, idSchema } from '@careledger/chaincode';
import { z } from 'zod';

/** `?pageSize&bookmark` of every list. */
export const pageQuery = z.strictObject({
  pageSize: z.coerce.number().int().min(1).max(200).optional(),
  bookmark: bookmarkSchema.optional(),
});

export const patientParams = z.strictObject({ patientId: idSchema });
