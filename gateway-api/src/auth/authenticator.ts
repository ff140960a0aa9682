import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { ApiError } from '../errors/error-catalog';
import type { Wallet, WalletEntry } from '../ledger/wallet';
import type { ApiKeyStore } from './api-key-store';

/** The authenticated caller: the wallet identity every ledger call is signed with. */
export interface Caller {
  readonly identity: string;
  readonly mspId: string;
  readonly role: string;
  readonly attrs: Readonly<Record<string, string>>;
}

export interface JwtOptions {
  readonly jwksUrl: string;
  readonly issuer?: string;
  readonly audience?: string;
  /** Claim (dotted path) naming the wallet identity. */
  readonly identityClaim: string;
  /** Claims (dotted paths) naming the organisation (MSP ID) and the user in it; used when both are set. */
  readonly orgClaim?: string;
  readonly userClaim?: string;
  /** Longest lifetime a token may have (`exp` − `iat`, or what is left of it without `iat`), in s. */
  readonly maxLifetimeS: number;
}

/** A claim by dotted path (`realm.org`), if it is a string. */
export function claimAt(payload: Record<string, unknown>, path: string): string | undefined {
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return typeof value === 'string' ? value : undefined;
}

export interface Authenticator {
  /** @throws ApiError UNAUTHENTICATED */
  authenticate(headers: { authorization?: string; 'x-api-key'?: string | string[] }): Promise<Caller>;
}

function callerOf(entry: WalletEntry): Caller {
  return { identity: entry.name, mspId: entry.mspId, role: entry.role, attrs: entry.attrs };
}

const unauthenticated = (message: string) => new ApiError('UNAUTHENTICATED', message);

/**
 * A token must expire, and not too late: one without `exp` would be a credential for ever.
 * @throws ApiError UNAUTHENTICATED naming what is wrong.
 */
function checkLifetime(payload: { exp?: number; iat?: number }, maxLifetimeS: number): void {
  if (typeof payload.exp !== 'number') throw unauthenticated('the bearer token has no expiry (exp)');
  const from = typeof payload.iat === 'number' ? payload.iat : Math.floor(Date.now() / 1000);
  if (payload.exp - from > maxLifetimeS) {
    throw unauthenticated(`the bearer token lives longer than the ${maxLifetimeS} s this gateway accepts`);
  }
}

/** API keys (default) and, when configured, bearer JWTs from an external issuer's JWKS. */
export function newAuthenticator(options: {
  wallet: Wallet;
  apiKeys: ApiKeyStore;
  jwt?: JwtOptions;
  jwks?: JWTVerifyGetKey;
}): Authenticator {
  const jwks = options.jwks ?? (options.jwt ? createRemoteJWKSet(new URL(options.jwt.jwksUrl)) : undefined);
  const fromIdentity = (identity: string | undefined): Caller => {
    const entry = identity === undefined ? undefined : options.wallet.entry(identity);
    if (!entry) throw unauthenticated('the credential does not map to a known identity');
    return callerOf(entry);
  };
  /** An API key's identity, if the key was made for the certificate that identity has now. */
  const fromApiKey = (key: string): Caller => {
    const record = options.apiKeys.verifyRecord(key);
    const caller = fromIdentity(record?.identity);
    if (record?.certificateSha256 !== undefined) {
      let current: string | undefined;
      try {
        current = options.wallet.load(record.identity).certificateSha256;
      } catch {
        current = undefined;
      }
      if (current !== record.certificateSha256) {
        throw unauthenticated(
          `this API key was made for another certificate of ${record.identity} (the network or the identity was made anew since); create a new key`,
        );
      }
    }
    return caller;
  };
  return {
    async authenticate(headers) {
      const header = headers['x-api-key'];
      const apiKey = Array.isArray(header) ? header[0] : header;
      const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
      if (apiKey) return fromApiKey(apiKey);
      if (!bearer)
        throw unauthenticated('send an API key (X-API-Key or Authorization: Bearer) or a bearer JWT');
      if (bearer.startsWith('clk_')) return fromApiKey(bearer);
      if (!jwks || !options.jwt) throw unauthenticated('bearer tokens are not enabled; use an API key');
      try {
        const { payload } = await jwtVerify(bearer, jwks, {
          issuer: options.jwt.issuer,
          audience: options.jwt.audience,
        });
        checkLifetime(payload, options.jwt.maxLifetimeS);
        const { orgClaim, userClaim, identityClaim } = options.jwt;
        if (orgClaim && userClaim) {
          const org = claimAt(payload, orgClaim);
          const user = claimAt(payload, userClaim);
          const entry = org && user ? options.wallet.find(org, user) : undefined;
          if (!entry) throw unauthenticated('the token does not map to a known identity');
          return callerOf(entry);
        }
        return fromIdentity(claimAt(payload, identityClaim));
      } catch (err) {
        if (err instanceof ApiError) throw err;
        throw unauthenticated('the bearer token is not valid');
      }
    },
  };
}
