import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { ApiError, ErrorCode } from '../errors/error-catalog';
import { fhirSystem } from './fhir-terms';

/** The FHIR issue type of each of the gateway's error codes (the HTTP status is the catalogue's). */
const issueTypes: Readonly<Record<ErrorCode, OperationOutcomeIssue['code']>> = {
  INVALID_ARGUMENT: 'invalid',
  UNAUTHENTICATED: 'login',
  UNAUTHENTICATED_ROLE: 'forbidden',
  ACCESS_DENIED: 'forbidden',
  CONSENT_REQUIRED: 'forbidden',
  ACCESS_NOT_LOGGED: 'forbidden',
  NOT_FOUND: 'not-found',
  ROUTE_NOT_FOUND: 'not-found',
  METHOD_NOT_ALLOWED: 'not-supported',
  CONFLICT: 'conflict',
  PRECONDITION_FAILED: 'business-rule',
  PAYLOAD_TOO_LARGE: 'too-costly',
  UNSUPPORTED_MEDIA_TYPE: 'not-supported',
  INTERNAL: 'exception',
  STALE_PROPOSAL: 'transient',
  LEDGER_UNAVAILABLE: 'transient',
  OVERLOADED: 'transient',
  INTAKE_UNAVAILABLE: 'transient',
  SHUTTING_DOWN: 'transient',
  COMMIT_TIMEOUT: 'timeout',
};

/**
 * An API error as a FHIR OperationOutcome: one issue of severity error, its FHIR issue type, the
 * gateway's code in `details.coding` (system `urn:careledger:error-code`, the same codes as
 * /api/v1) and its message as `details.text`; `expression` names the element when known.
 */
export function operationOutcomeOf(err: ApiError): OperationOutcome {
  const expression = (err.details as { expression?: unknown } | undefined)?.expression;
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: issueTypes[err.code],
        details: { coding: [{ system: fhirSystem.errorCode, code: err.code }], text: err.message },
        ...(typeof expression === 'string' ? { expression: [expression] } : {}),
      },
    ],
  };
}
