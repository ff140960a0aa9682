import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { ApiError } from '../errors/error-catalog';
import { Wallet } from '../ledger/wallet';
import { ApiKeyStore } from './api-key-store';
import { newAuthenticator } from './authenticator';

const wallet = new Wallet([
  {
    name: 'hospitala-doctor',
    mspId: 'HospitalAMSP',
    role: 'doctor',
    certPath: '-',
    keyPath: '-',
    attrs: { role: 'doctor' },
  },
]);

async function setUp() {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
  const apiKeys = new ApiKeyStore(join(mkdtempSync(join(tmpdir(), 'auth-')), 'keys.json'));
  const auth = newAuthenticator({
    wallet,
    apiKeys,
    jwt: {
      jwksUrl: 'https://issuer.example/jwks',
      issuer: 'https://issuer.example',
      audience: 'careledger',
      identityClaim: 'careledger_identity',
      maxLifetimeS: 3600,
    },
    jwks: createLocalJWKSet({ keys: [jwk] }),
  });
  const token = (
    claims: Record<string, unknown>,
    options: { issuer?: string; audience?: string; expiresIn?: string } = {},
  ) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(options.issuer ?? 'https://issuer.example')
      .setAudience(options.audience ?? 'careledger')
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(privateKey);
  /** A token with only the claims asked for (no exp unless `expiresIn`, no iat unless `iat`). */
  const sign = (claims: Record<string, unknown>, options: { iat?: boolean; expiresIn?: string }) => {
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer('https://issuer.example')
      .setAudience('careledger');
    if (options.iat) jwt.setIssuedAt();
    if (options.expiresIn) jwt.setExpirationTime(options.expiresIn);
    return jwt.sign(privateKey);
  };
  return { auth, apiKeys, token, sign };
}

async function expectUnauthenticated(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(ApiError);
  await expect(promise).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
}

describe('authenticator', () => {
  it('maps a valid JWT to the wallet identity named by its claim', async () => {
    const { auth, token } = await setUp();
    const caller = await auth.authenticate({
      authorization: `Bearer ${await token({ careledger_identity: 'hospitala-doctor' })}`,
    });
    expect(caller).toEqual({
      identity: 'hospitala-doctor',
      mspId: 'HospitalAMSP',
      role: 'doctor',
      attrs: { role: 'doctor' },
    });
  });

  it('refuses a JWT with the wrong issuer, audience, an expired one, or one naming no known identity', async () => {
    const { auth, token } = await setUp();
    const bearer = async (t: Promise<string>) => auth.authenticate({ authorization: `Bearer ${await t}` });
    await expectUnauthenticated(
      bearer(token({ careledger_identity: 'hospitala-doctor' }, { issuer: 'https://evil.example' })),
    );
    await expectUnauthenticated(
      bearer(token({ careledger_identity: 'hospitala-doctor' }, { audience: 'other' })),
    );
    await expectUnauthenticated(
      bearer(token({ careledger_identity: 'hospitala-doctor' }, { expiresIn: '-1m' })),
    );
    await expectUnauthenticated(bearer(token({ careledger_identity: 'nobody' })));
    await expectUnauthenticated(bearer(token({})));
  });

  it('refuses a JWT that never expires or lives longer than the configured maximum', async () => {
    const { auth, sign } = await setUp();
    const claims = { careledger_identity: 'hospitala-doctor' };
    const bearer = async (t: Promise<string>) => auth.authenticate({ authorization: `Bearer ${await t}` });
    await expect(bearer(sign(claims, {}))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'the bearer token has no expiry (exp)',
    });
    await expect(bearer(sign(claims, { iat: true, expiresIn: '2h' }))).rejects.toMatchObject({
      message: 'the bearer token lives longer than the 3600 s this gateway accepts',
    });
    await expect(bearer(sign(claims, { expiresIn: '90m' }))).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect((await bearer(sign(claims, { iat: true, expiresIn: '59m' }))).identity).toBe('hospitala-doctor');
  });

  it('maps organisation and user claims (dotted paths) to that organisation’s identity', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k2', alg: 'ES256' };
    const auth = newAuthenticator({
      wallet,
      apiKeys: new ApiKeyStore(join(mkdtempSync(join(tmpdir(), 'auth-')), 'keys.json')),
      jwt: {
        jwksUrl: 'https://i.example/jwks',
        identityClaim: 'x',
        orgClaim: 'ext.org',
        userClaim: 'ext.user',
        maxLifetimeS: 3600,
      },
      jwks: createLocalJWKSet({ keys: [jwk] }),
    });
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: 'k2' })
        .setExpirationTime('5m')
        .sign(privateKey);
    const caller = await auth.authenticate({
      authorization: `Bearer ${await sign({ ext: { org: 'HospitalAMSP', user: 'doctor' } })}`,
    });
    expect(caller.identity).toBe('hospitala-doctor');
    await expectUnauthenticated(
      auth.authenticate({
        authorization: `Bearer ${await sign({ ext: { org: 'HospitalBMSP', user: 'doctor' } })}`,
      }),
    );
    await expectUnauthenticated(
      auth.authenticate({ authorization: `Bearer ${await sign({ ext: { org: 'HospitalAMSP' } })}` }),
    );
  });

  it('refuses a token signed by another key, and bearer JWTs when JWT is not configured', async () => {
    const { auth } = await setUp();
    const other = await generateKeyPair('ES256');
    const forged = await new SignJWT({ careledger_identity: 'hospitala-doctor' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer('https://issuer.example')
      .setAudience('careledger')
      .setExpirationTime('5m')
      .sign(other.privateKey);
    await expectUnauthenticated(auth.authenticate({ authorization: `Bearer ${forged}` }));
    const noJwt = newAuthenticator({
      wallet,
      apiKeys: new ApiKeyStore(join(mkdtempSync(join(tmpdir(), 'auth-')), 'keys.json')),
    });
    await expectUnauthenticated(noJwt.authenticate({ authorization: `Bearer ${forged}` }));
  });

  it('fetches the issuer’s keys from its JWKS URL', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'remote', alg: 'ES256' }] });
    const server = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(jwks),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const auth = newAuthenticator({
        wallet,
        apiKeys: new ApiKeyStore(join(mkdtempSync(join(tmpdir(), 'auth-')), 'keys.json')),
        jwt: {
          jwksUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks`,
          identityClaim: 'careledger_identity',
          maxLifetimeS: 3600,
        },
      });
      const token = await new SignJWT({ careledger_identity: 'hospitala-doctor' })
        .setProtectedHeader({ alg: 'ES256', kid: 'remote' })
        .setExpirationTime('5m')
        .sign(privateKey);
      expect((await auth.authenticate({ authorization: `Bearer ${token}` })).identity).toBe(
        'hospitala-doctor',
      );
    } finally {
      server.close();
    }
  });

  it('accepts API keys in either header and refuses revoked ones', async () => {
    const { auth, apiKeys } = await setUp();
    const { key, record } = apiKeys.create('hospitala-doctor');
    expect((await auth.authenticate({ 'x-api-key': key })).identity).toBe('hospitala-doctor');
    expect((await auth.authenticate({ authorization: `Bearer ${key}` })).identity).toBe('hospitala-doctor');
    expect(apiKeys.revoke(record.keyId)).toBe(true);
    await expectUnauthenticated(auth.authenticate({ 'x-api-key': key }));
    await expectUnauthenticated(auth.authenticate({}));
  });

  it('stores only hashes of the keys it creates', async () => {
    const { apiKeys } = await setUp();
    const { key } = apiKeys.create('hospitala-doctor');
    expect(JSON.stringify(apiKeys.list())).not.toContain(key.slice(4));
  });
});
