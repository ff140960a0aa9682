import type { Context } from 'fabric-contract-api';
import { ChaincodeError, sealAnswer, type Sealed } from '@careledger/contract';

/**
 * Seal a read's answer to the key of the certificate that signed the proposal.
 * @throws ChaincodeError INVALID_ARGUMENT when the creator's certificate holds no EC key.
 */
export async function sealForCaller<T>(ctx: Context, value: T | Promise<T>): Promise<Sealed<T>> {
  const answer = await value;
  const creator = ctx.stub.getCreator();
  try {
    return sealAnswer(answer, Buffer.from(creator.idBytes));
  } catch (err) {
    throw new ChaincodeError('INVALID_ARGUMENT', `the caller's certificate: ${(err as Error).message}`);
  }
}
