import { X509Certificate } from 'node:crypto';
import { msp } from '@hyperledger/fabric-protos';
import type { MspRegistry, VerifiedIdentity } from '@careledger/fabric-toolkit';

/**
 * An MSP that accepts every creator and signature, so that `decodeTransaction` only decodes: the
 * verifier replays the codes the committer recorded instead of judging signatures again.
 */
export const acceptingMsp: MspRegistry = {
  mspIds: () => [],
  validateIdentity(serialized: Buffer): VerifiedIdentity {
    const identity = msp.SerializedIdentity.deserializeBinary(serialized);
    const certificatePem = Buffer.from(identity.getIdBytes_asU8()).toString('utf8');
    return {
      mspId: identity.getMspid(),
      certificatePem,
      // Parsed only if asked for; decoding never asks.
      get certificate() {
        return new X509Certificate(certificatePem);
      },
      ou: undefined,
      serialized,
    };
  },
  verify: () => true,
};
