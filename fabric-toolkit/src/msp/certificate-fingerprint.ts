import { X509Certificate } from 'node:crypto';

/**
 * The SHA-256 of a certificate's DER bytes, lower-case hex: what identifies one certificate of
 * an identity (a network made again issues the same names new certificates).
 * @throws Error when `pem` is not a certificate.
 */
export function certificateSha256(pem: string | Uint8Array): string {
  return new X509Certificate(Buffer.from(pem)).fingerprint256.replaceAll(':', '').toLowerCase();
}
