import type { X509Certificate } from 'node:crypto';

/**
 * The seam between identity handling (src/msp, owned by the certificate tooling) and the
 * parts of the devnet that check identities and signatures (endorser, validator, gateway).
 */
export type NodeOU = 'client' | 'peer' | 'admin' | 'orderer';

/** An identity whose certificate was issued by a known MSP's CA and is valid now. */
export interface VerifiedIdentity {
  readonly mspId: string;
  readonly certificate: X509Certificate;
  readonly certificatePem: string;
  /** NodeOU classification read from the certificate's OU (Fabric NodeOUs). */
  readonly ou: NodeOU | undefined;
  /** The serialized `msp.SerializedIdentity` bytes as received. */
  readonly serialized: Buffer;
}

export interface MspRegistry {
  /** MSP IDs this network knows. */
  mspIds(): readonly string[];
  /**
   * Parse a serialized `msp.SerializedIdentity` and check it the way a Fabric MSP does.
   * @throws MspError with Fabric's wording: unknown MSP → `creator org unknown, creator is malformed`,
   *   a certificate not issued by that MSP's CA or expired → `access denied: ... creator org [<msp>]`.
   */
  validateIdentity(serializedIdentity: Buffer): VerifiedIdentity;
  /** ECDSA P-256 / SHA-256 over `message`, DER signature; a high-S signature is refused as Fabric refuses it. */
  verify(identity: VerifiedIdentity, message: Buffer, signature: Buffer): boolean;
}

/** An identity that can sign, such as a peer signing endorsements or an orderer signing blocks. */
export interface SigningIdentity {
  readonly mspId: string;
  /** Serialized `msp.SerializedIdentity` (mspid + PEM certificate). */
  readonly serialized: Buffer;
  /** DER ECDSA signature over SHA-256(message), normalised to low-S. */
  sign(message: Buffer): Buffer;
}
