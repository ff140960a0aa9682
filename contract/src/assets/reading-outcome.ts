import { Object as DataType, Property } from 'fabric-contract-api';
import { Receipt } from './receipt';

/** Why one signed reading of a batch was refused: the chaincode's code and its message. */
@DataType()
export class OutcomeError {
  @Property('code', 'string') public code: string = '';
  @Property('message', 'string') public message: string = '';
}

/**
 * What `Vitals:recordSigned` answers for each signed reading, in the order sent: its receipt,
 * or why it alone was refused (the others of the batch are recorded all the same).
 */
@DataType()
export class ReadingOutcome {
  /** The reading's id; empty when its payload could not be read. */
  @Property('readingId', 'string') public readingId: string = '';
  @Property('receipt', 'Receipt') public receipt?: Receipt;
  @Property('error', 'OutcomeError') public error?: OutcomeError;
}
