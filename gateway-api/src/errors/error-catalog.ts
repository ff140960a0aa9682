/**
 * Every error code the REST API answers with, and its HTTP status. The chaincode's codes
 * appear under the same names, so a client sees the ledger's reason unchanged.
 */
export const errorCatalog = {
  INVALID_ARGUMENT: { status: 400, description: 'The request is malformed; details name the field.' },
  UNAUTHENTICATED: { status: 401, description: 'No valid API key or bearer token.' },
  UNAUTHENTICATED_ROLE: {
    status: 403,
    description: "The caller's certificate has no role valid for its organisation.",
  },
  ACCESS_DENIED: { status: 403, description: 'The permission matrix does not allow this.' },
  CONSENT_REQUIRED: {
    status: 403,
    description: "Allowed only with the patient's active consent, and there is none.",
  },
  ACCESS_NOT_LOGGED: {
    status: 403,
    description:
      "Another organisation's read is answered only within two minutes of its own committed access request (the REST API makes that request itself).",
  },
  NOT_FOUND: { status: 404, description: 'No such resource.' },
  ROUTE_NOT_FOUND: { status: 404, description: 'No such endpoint.' },
  METHOD_NOT_ALLOWED: { status: 405, description: 'The endpoint does not take this method.' },
  CONFLICT: { status: 409, description: 'Already exists with other content, or a concurrent change won.' },
  PRECONDITION_FAILED: { status: 409, description: 'The current state does not allow this.' },
  PAYLOAD_TOO_LARGE: { status: 413, description: 'The body exceeds the configured limit.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'Send application/json.' },
  INTERNAL: { status: 500, description: 'An unexpected error; the log has the request id.' },
  STALE_PROPOSAL: {
    status: 503,
    description:
      "The gateway's clock and the endorsing peer's differ by more than five minutes, so the ledger refuses time-dependent decisions; the operator must fix the clocks (NTP).",
  },
  LEDGER_UNAVAILABLE: { status: 503, description: 'The ledger cannot be reached; retry later.' },
  OVERLOADED: {
    status: 503,
    description:
      'As many writes as the gateway admits (MAX_WRITES_IN_FLIGHT) are in flight, its event loop runs late, or its intake holds INTAKE_MAX_READINGS readings; resend after Retry-After seconds, with the same ids.',
  },
  INTAKE_UNAVAILABLE: {
    status: 503,
    description:
      'The gateway cannot write its intake store (disk full or failing), so it cannot accept readings asynchronously; nothing was queued. Resend after Retry-After seconds, or without `Prefer: respond-async`.',
  },
  SHUTTING_DOWN: {
    status: 503,
    description: 'The gateway is draining before it stops; send new requests to another instance.',
  },
  COMMIT_TIMEOUT: {
    status: 504,
    description: 'Submitted, but the commit was not seen in time; poll the status URL.',
  },
} as const;

export type ErrorCode = keyof typeof errorCatalog;

/** An error the API answers with `{error: {code, message, details}}` and the catalogue's status. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ApiError';
    this.code = code;
    this.details = options.details;
  }

  get status(): number {
    return errorCatalog[this.code].status;
  }
}
