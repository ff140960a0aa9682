import { idSchema, mspIdSchema } from './rules/input-schemas';
import { parseValue } from './rules/parse-input';

/**
 * A patient as transactions name it: a pseudonymous id within its custodian hospital. Ids are
 * the custodian's own, so no organisation can take or probe another's.
 */
export interface PatientRef {
  readonly custodianMspId: string;
  readonly patientId: string;
}

/** @throws ChaincodeError INVALID_ARGUMENT naming the bad argument. */
export function parseRef(custodianMspId: string, patientId: string): PatientRef {
  return {
    custodianMspId: parseValue(mspIdSchema, custodianMspId, 'custodianMspId'),
    patientId: parseValue(idSchema, patientId, 'patientId'),
  };
}
