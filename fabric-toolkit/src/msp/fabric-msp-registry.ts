import { createPrivateKey, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { msp } from '@hyperledger/fabric-protos';
import { isLowS, toLowS } from './low-s-signature';
import { MspError } from './msp-error';
import type { MspRegistry, NodeOU, SigningIdentity, VerifiedIdentity } from './msp-registry';

export { MspError } from './msp-error';

const nodeOUs: ReadonlySet<string> = new Set<NodeOU>(['client', 'peer', 'admin', 'orderer']);

export interface MspRegistryOptions {
  /** Validated identities kept, least recently used evicted (default 10 000). */
  readonly maxCachedIdentities?: number;
  /**
   * Refuse certificates outside their validity period (default true). Fabric's MSP `Validate`
   * does not look at expiry, but its orderer refuses an expired creator at Broadcast, so a
   * transaction from an expired identity never commits; refusing it at once is the same result.
   */
  readonly checkValidityPeriod?: boolean;
}

interface CacheEntry {
  readonly identity: VerifiedIdentity;
  readonly notBefore: number;
  readonly notAfter: number;
}

/** The NodeOU of a subject such as `CN=x\nOU=client\nO=y`; refuses none or several, as Fabric does. */
function nodeOuOf(subject: string, mspId: string): NodeOU {
  const ous = [...subject.matchAll(/^OU=(.*)$/gm)].map((m) => m[1] ?? '').filter((ou) => nodeOUs.has(ou));
  if (ous.length === 1) return ous[0] as NodeOU;
  throw new MspError(
    'untrusted',
    mspId,
    ous.length === 0
      ? 'the identity does not have an OU that resolves to client, peer, orderer, or admin role'
      : `the identity must be a client, a peer, an orderer or an admin identity to be valid, not a combination of them (${ous.join(', ')})`,
  );
}

class FabricMspRegistry implements MspRegistry {
  readonly #cas: ReadonlyMap<string, X509Certificate>;
  /** Insertion order is recency: a hit is re-inserted, the first key is the eviction victim. */
  readonly #cache = new Map<string, CacheEntry>();
  readonly #publicKeys = new WeakMap<VerifiedIdentity, KeyObject>();
  readonly #maxCached: number;
  readonly #checkValidity: boolean;

  constructor(cas: ReadonlyMap<string, X509Certificate>, options: MspRegistryOptions) {
    this.#cas = cas;
    this.#maxCached = Math.max(1, options.maxCachedIdentities ?? 10_000);
    this.#checkValidity = options.checkValidityPeriod ?? true;
  }

  mspIds(): readonly string[] {
    return [...this.#cas.keys()];
  }

  validateIdentity(serializedIdentity: Buffer): VerifiedIdentity {
    // latin1 maps each byte to one char: an exact, cheap key (no base64 encoding per call).
    const cacheKey = serializedIdentity.toString('latin1');
    const cached = this.#cache.get(cacheKey);
    if (cached) {
      this.#cache.delete(cacheKey);
      if (this.#inValidity(cached)) {
        this.#cache.set(cacheKey, cached);
        return cached.identity;
      }
    }
    const entry = this.#validate(serializedIdentity);
    this.#cache.set(cacheKey, entry);
    if (this.#cache.size > this.#maxCached) {
      const oldest = this.#cache.keys().next();
      if (!oldest.done) this.#cache.delete(oldest.value);
    }
    return entry.identity;
  }

  verify(identity: VerifiedIdentity, message: Buffer, signature: Buffer): boolean {
    // Fabric: "Invalid S. Must be smaller than half the order" — a high-S signature is refused.
    if (!isLowS(signature)) return false;
    let key = this.#publicKeys.get(identity);
    if (!key) {
      key = identity.certificate.publicKey;
      this.#publicKeys.set(identity, key);
    }
    try {
      return verify('sha256', message, { key, dsaEncoding: 'der' }, signature);
    } catch {
      return false;
    }
  }

  #inValidity(entry: CacheEntry): boolean {
    if (!this.#checkValidity) return true;
    const now = Date.now();
    return now >= entry.notBefore && now <= entry.notAfter;
  }

  #validate(serializedIdentity: Buffer): CacheEntry {
    let mspId: string;
    let pem: string;
    try {
      const decoded = msp.SerializedIdentity.deserializeBinary(serializedIdentity);
      mspId = decoded.getMspid();
      pem = Buffer.from(decoded.getIdBytes_asU8()).toString('utf8');
    } catch {
      throw new MspError('malformed', undefined, 'the bytes are not a msp.SerializedIdentity');
    }
    const ca = this.#cas.get(mspId);
    if (!ca) throw new MspError('unknown-org', mspId, `MSP ${mspId} is not defined on channel`);
    let certificate: X509Certificate;
    try {
      if (!pem.includes('-----BEGIN')) throw new Error('no PEM');
      certificate = new X509Certificate(pem);
    } catch {
      throw new MspError('malformed', mspId, 'could not decode the PEM structure');
    }
    if (certificate.ca) {
      throw new MspError('untrusted', mspId, 'A CA certificate cannot be used directly by this MSP');
    }
    if (!certificate.checkIssued(ca) || !certificate.verify(ca.publicKey)) {
      throw new MspError('untrusted', mspId, `the certificate was not issued by the CA of ${mspId}`);
    }
    const entry: CacheEntry = {
      notBefore: Date.parse(certificate.validFrom),
      notAfter: Date.parse(certificate.validTo),
      identity: {
        mspId,
        certificate,
        certificatePem: pem,
        ou: nodeOuOf(certificate.subject, mspId),
        serialized: serializedIdentity,
      },
    };
    if (!this.#inValidity(entry)) {
      throw new MspError(
        'untrusted',
        mspId,
        `the certificate is valid from ${certificate.validFrom} to ${certificate.validTo}`,
      );
    }
    return entry;
  }
}

/**
 * An MSP registry that trusts one CA certificate per organisation, as a Fabric channel's MSPs
 * (with NodeOUs enabled) do. Validated identities are cached by their serialized bytes
 * (bounded, least recently used evicted), so the hot path is one map lookup; a cached identity
 * whose certificate has since expired is validated again (and refused).
 * @throws Error if a CA certificate cannot be parsed or is not a CA, or an MSP ID is given twice.
 */
export function newMspRegistry(
  orgs: readonly { readonly mspId: string; readonly caCertificatePem: string }[],
  options: MspRegistryOptions = {},
): MspRegistry {
  const cas = new Map<string, X509Certificate>();
  for (const org of orgs) {
    if (cas.has(org.mspId)) throw new Error(`MSP ${org.mspId} is given twice`);
    const ca = new X509Certificate(org.caCertificatePem);
    if (!ca.ca) throw new Error(`the CA certificate of ${org.mspId} is not a CA certificate`);
    cas.set(org.mspId, ca);
  }
  return new FabricMspRegistry(cas, options);
}

/** The `msp.SerializedIdentity` bytes Fabric carries as creator, endorser or signer. */
export function serializeIdentity(mspId: string, certificatePem: string): Buffer {
  const id = new msp.SerializedIdentity();
  id.setMspid(mspId);
  id.setIdBytes(Buffer.from(certificatePem));
  return Buffer.from(id.serializeBinary());
}

/**
 * An identity that signs as Fabric peers and SDKs do: DER ECDSA over SHA-256, normalised to low-S.
 * @throws Error if the key is not a private key or does not belong to the certificate.
 */
export function newSigningIdentity(options: {
  readonly mspId: string;
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}): SigningIdentity {
  const key = createPrivateKey(options.privateKeyPem);
  if (!new X509Certificate(options.certificatePem).checkPrivateKey(key)) {
    throw new Error(`the private key of ${options.mspId}'s identity does not match its certificate`);
  }
  return {
    mspId: options.mspId,
    serialized: serializeIdentity(options.mspId, options.certificatePem),
    sign: (message) => toLowS(sign('sha256', message, { key, dsaEncoding: 'der' })),
  };
}
