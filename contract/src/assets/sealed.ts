import { Object as DataType, Property } from 'fabric-contract-api';
import { algorithm } from '../sealing/sealed-answer';

/**
 * A read's answer encrypted to the caller's certificate key (`sealing/sealed-answer.ts`): the
 * gateway opens it with the caller's private key; anyone else, also in a block, sees ciphertext.
 */
@DataType()
export class SealedAnswer {
  @Property('sealed', 'string') public sealed: typeof algorithm = algorithm;
  @Property('epk', 'string') public epk: string = '';
  @Property('iv', 'string') public iv: string = '';
  @Property('ciphertext', 'string') public ciphertext: string = '';
}
