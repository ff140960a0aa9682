import { createPrivateKey, sign, verify, X509Certificate } from 'node:crypto';
import { msp } from '@hyperledger/fabric-protos';
import { isLowS, toLowS } from './low-s-signature';
import type { MspRegistry, NodeOU, SigningIdentity, VerifiedIdentity } from './msp-registry';

/** Why an identity was refused; callers turn it into Fabric's wording for their context. */
export class MspError extends Error {
  readonly kind: 'unknown-org' | 'untrusted' | 'malformed';
  readonly mspId: string | undefined;

  constructor(kind: MspError['kind'], mspId: string | undefined, message: string) {
    super(message);
    this.name = 'MspError';
    this.kind = kind;
    this.mspId = mspId;
  }
}

const nodeOUs = new Set<NodeOU>(['client', 'peer', 'admin', 'orderer']);

class FabricMspRegistry implements MspRegistry {
  readonly #cas: ReadonlyMap<string, X509Certificate>;
  /** Validated identities by serialized bytes, least recently used first. */
  readonly #cache = new Map<string, { readonly identity: VerifiedIdentity; readonly notAfter: number }>();
  readonly #maxCached: number;

  constructor(cas: ReadonlyMap<string, X509Certificate>, maxCached: number) {
    this.#cas = cas;
    this.#maxCached = maxCached;
  }

  mspIds(): readonly string[] {
    return [...this.#cas.keys()];
  }

  validateIdentity(serializedIdentity: Buffer): VerifiedIdentity {
    const cacheKey = serializedIdentity.toString('base64');
    const cached = this.#cache.get(cacheKey);
    if (cached) {
      this.#cache.delete(cacheKey);
      if (cached.notAfter >= Date.now()) {
        this.#cache.set(cacheKey, cached);
        return cached.identity;
      }
    }
    let mspId: string;
    let pem: string;
    try {
      const decoded = msp.SerializedIdentity.deserializeBinary(serializedIdentity);
      mspId = decoded.getMspid();
      pem = Buffer.from(decoded.getIdBytes_asU8()).toString('utf8');
    } catch {
      throw new MspError('malformed', undefined, 'creator is malformed');
    }
    const ca = this.#cas.get(mspId);
    if (!ca) throw new MspError('unknown-org', mspId, 'creator org unknown, creator is malformed');
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(pem);
    } catch {
      throw new MspError('malformed', mspId, `creator org [${mspId}]: the certificate cannot be parsed`);
    }
    const now = Date.now();
    const notAfter = Date.parse(certificate.validTo);
    if (certificate.ca || !certificate.checkIssued(ca) || !certificate.verify(ca.publicKey)) {
      throw new MspError('untrusted', mspId, `access denied: creator org [${mspId}]`);
    }
    if (now < Date.parse(certificate.validFrom) || now > notAfter) {
      throw new MspError(
        'untrusted',
        mspId,
        `access denied: creator org [${mspId}] (certificate expired or not yet valid)`,
      );
    }
    const ouMatch = /^OU=(\w+)$/m.exec(certificate.subject)?.[1];
    const ou = nodeOUs.has(ouMatch as NodeOU) ? (ouMatch as NodeOU) : undefined;
    const identity: VerifiedIdentity = {
      mspId,
      certificate,
      certificatePem: pem,
      ou,
      serialized: serializedIdentity,
    };
    this.#cache.set(cacheKey, { identity, notAfter });
    if (this.#cache.size > this.#maxCached) {
      const oldest = this.#cache.keys().next();
      if (!oldest.done) this.#cache.delete(oldest.value);
    }
    return identity;
  }

  verify(identity: VerifiedIdentity, message: Buffer, signature: Buffer): boolean {
    if (!isLowS(signature)) return false;
    try {
      return verify(
        'sha256',
        message,
        { key: identity.certificate.publicKey, dsaEncoding: 'der' },
        signature,
      );
    } catch {
      return false;
    }
  }
}

/**
 * An MSP registry that trusts one CA certificate per organisation, as a Fabric channel's MSPs do.
 * Validated identities are cached (bounded, least recently used evicted) by their serialized
 * bytes, so the hot path is one map lookup; an expired cached identity is validated again.
 * @throws Error if a CA certificate cannot be parsed or an MSP ID is given twice.
 */
export function newMspRegistry(
  orgs: readonly { readonly mspId: string; readonly caCertificatePem: string }[],
  options: { readonly maxCachedIdentities?: number } = {},
): MspRegistry {
  const cas = new Map<string, X509Certificate>();
  for (const org of orgs) {
    if (cas.has(org.mspId)) throw new Error(`MSP ${org.mspId} is given twice`);
    cas.set(org.mspId, new X509Certificate(org.caCertificatePem));
  }
  return new FabricMspRegistry(cas, options.maxCachedIdentities ?? 10_000);
}

/** An identity that signs as Fabric does: DER ECDSA over SHA-256, low-S. */
export function newSigningIdentity(options: {
  readonly mspId: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}): SigningIdentity {
  const key = createPrivateKey(options.privateKeyPem);
  const id = new msp.SerializedIdentity();
  id.setMspid(options.mspId);
  id.setIdBytes(Buffer.from(options.certificatePem));
  return {
    mspId: options.mspId,
    serialized: Buffer.from(id.serializeBinary()),
    sign: (message) => toLowS(sign('sha256', message, { key, dsaEncoding: 'der' })),
  };
}
