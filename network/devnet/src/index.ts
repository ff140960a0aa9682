export { startDevnet, type Devnet, type DevnetOptions, type DevnetChaincode } from './devnet';
export {
  defaultOrganisations,
  type CryptoProvider,
  type DevnetCrypto,
  type DevnetOrganisation,
} from './devnet-crypto';
export {
  loadConnectionFile,
  writeConnectionFile,
  tlsRootsOf,
  connectionFileSchema,
  ConnectionFileError,
  type ConnectionFile,
  type ConnectionIdentity,
  type ConnectionOrganisation,
} from './connection-file';
export * from './msp';
export {
  startChaincodeRuntime,
  TIMEOUT_MESSAGE,
  type ChaincodeRuntime,
  type ChaincodeRuntimeOptions,
} from './chaincode';
export { openLedger, LedgerLockedError, LedgerCorruptError, LedgerDataFormatError } from './ledger';
export { bootstrapCareLedgerRegistry } from './careledger-bootstrap';
export { ensureChaincodeBuilt } from './chaincode-build';
export { spawnDevnet, type DevnetProcess, type SpawnDevnetOptions } from './spawn-devnet';
export {
  readDevnetConfig,
  devnetConfigSchema,
  careledgerChaincodeDir,
  careledgerEndorsementPolicy,
  UsageError,
  type DevnetConfig,
} from './config';
export type { LocalTransactionOptions } from './gateway/local-transaction';
export type { OrdererOptions } from './gateway/orderer';
export { residentMemoryMB, cpuSeconds } from './process-usage';
