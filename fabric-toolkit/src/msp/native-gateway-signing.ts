import { sign, type KeyObject } from 'node:crypto';
import type { Hash, Signer } from '@hyperledger/fabric-gateway';
import { toLowS } from './low-s-signature';

/** The `signer` and `hash` options of `@hyperledger/fabric-gateway`'s `connect()`, as one pair. */
export interface GatewaySigning {
  readonly signer: Signer;
  readonly hash: Hash;
}

/**
 * Signs for `@hyperledger/fabric-gateway` with Node's own (OpenSSL) ECDSA: the client passes the
 * whole message (`hash` is the identity), the signer hashes it with SHA-256, signs, and
 * normalises the signature to low-S as Fabric requires. The same signature scheme as
 * `signers.newPrivateKeySigner` with the default SHA-256 hash, which signs in JavaScript
 * (@noble/curves) and cost a REST gateway about a quarter of its CPU (three signatures a write).
 * Use the pair together: this signer behind the default hash would sign a digest of a digest.
 */
export function nativeGatewaySigning(privateKey: KeyObject): GatewaySigning {
  if (privateKey.type !== 'private') throw new Error('a private key is needed to sign');
  return {
    signer: (message) =>
      Promise.resolve(toLowS(sign('sha256', message, { key: privateKey, dsaEncoding: 'der' }))),
    hash: (message) => message,
  };
}
