/**
 * Why an MSP refused an identity. Fabric's endorser words its refusal in two ways, and only
 * the caller knows the channel, so the error carries what the caller needs:
 *
 * - `unknown-org` / `malformed` (the identity cannot be deserialized: unknown MSP ID, bytes
 *   that are not a `SerializedIdentity`, no PEM certificate) →
 *   `access denied: channel [<ch>] creator org unknown, creator is malformed`
 * - `untrusted` (deserialized, but `Validate` fails: not issued by that MSP's CA, a CA
 *   certificate, outside its validity period, not exactly one NodeOU) →
 *   `access denied: channel [<ch>] creator org [<msp>]`
 *
 * `reason` says what exactly was wrong (for logs; Fabric logs it and keeps it from the client).
 */
export type MspErrorKind = 'unknown-org' | 'untrusted' | 'malformed';

export class MspError extends Error {
  readonly kind: MspErrorKind;
  /** The MSP ID the identity claimed, when it could be read. */
  readonly mspId: string | undefined;
  readonly reason: string;

  constructor(kind: MspErrorKind, mspId: string | undefined, reason: string) {
    super(
      kind === 'untrusted'
        ? `access denied: creator org [${mspId ?? ''}]`
        : 'creator org unknown, creator is malformed',
    );
    this.name = 'MspError';
    this.kind = kind;
    this.mspId = mspId;
    this.reason = reason;
  }

  /** Fabric's exact wording for a proposal on `channelId`. */
  accessDeniedMessage(channelId: string): string {
    return this.kind === 'untrusted'
      ? `access denied: channel [${channelId}] creator org [${this.mspId ?? ''}]`
      : `access denied: channel [${channelId}] creator org unknown, creator is malformed`;
  }
}
