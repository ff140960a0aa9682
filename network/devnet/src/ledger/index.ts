export type {
  CommittedBlock,
  CommittedTransaction,
  Ledger,
  ProposalSimulator,
  SimulatorOptions,
  TxStatus,
  TxValidationCode,
} from './ledger';
export type { KeyModification, KeyValue, RangePage, TxSimulator } from './tx-simulator';
export { openLedger } from './level-ledger';
export type { DevnetLedger, LedgerOptions } from './level-ledger';
export type { ChaincodeDefinition } from './chaincode-definitions';
export { LedgerLockedError } from './ledger-db';
export { LedgerCorruptError } from './block-store';
export { LedgerDataFormatError } from './ledger-data-format-error';
export { implicitCollectionName, implicitCollectionOwner } from './implicit-collections';
export { CollectionConfigError } from './collections/collection-definition';
export type { CollectionDefinition } from './collections/collection-definition';
export { blockDataHash, blockHeaderHash } from './block-hash';
export { protoTimestamp } from './proto-timestamp';
export { verifyLedger, formatVerifyReport } from './verify-ledger';
export type { VerifyOptions, VerifyProblem, VerifyReport } from './verify-ledger';
