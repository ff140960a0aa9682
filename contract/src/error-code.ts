/**
 * Stable error codes. The code is the prefix of every error message the chaincode throws
 * (`CODE: text`), because the message is all that reaches a client. The gateway maps them
 * to HTTP statuses, so the set only grows.
 */
export const ErrorCode = {
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  UNAUTHENTICATED_ROLE: 'UNAUTHENTICATED_ROLE',
  ACCESS_DENIED: 'ACCESS_DENIED',
  CONSENT_REQUIRED: 'CONSENT_REQUIRED',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  /** A read by another organisation without a fresh, committed access-log entry for it. */
  ACCESS_NOT_LOGGED: 'ACCESS_NOT_LOGGED',
  /** The proposal's timestamp is too far from the endorsing peer's clock. */
  STALE_PROPOSAL: 'STALE_PROPOSAL',
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = keyof typeof ErrorCode;

/** An error whose message starts with its code: `ACCESS_DENIED: nurse of LabMSP may not read vitals`. */
export class ChaincodeError extends Error {
  readonly code: ErrorCode;
  readonly detail: string;

  constructor(code: ErrorCode, detail: string) {
    super(`${code}: ${detail}`);
    this.name = 'ChaincodeError';
    this.code = code;
    this.detail = detail;
  }
}

const codePattern = new RegExp(`(?:^|[ ,])(${Object.keys(ErrorCode).join('|')}): (.*)$`, 's');

/**
 * Find a chaincode error code in a message that may carry Fabric's prefixes
 * (`chaincode response 500, CODE: text`).
 */
export function parseChaincodeError(message: string): { code: ErrorCode; detail: string } | undefined {
  const match = codePattern.exec(message);
  if (!match) return undefined;
  return { code: match[1] as ErrorCode, detail: match[2] ?? '' };
}
