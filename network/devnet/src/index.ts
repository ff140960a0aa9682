/**
 * The embedded network: a Fabric-compatible network in one Node process (Fabric Gateway gRPC
 * service, endorsement, ordering, validation, commit, private data, chaincode over Fabric's
 * chaincode protocol), generic: the application configures its chaincode, organisations and
 * bootstrap. Built on `@careledger/fabric-toolkit`.
 */
export {
  startDevnet,
  type Devnet,
  type DevnetHealth,
  type DevnetOptions,
  type DevnetChaincode,
} from './devnet';
export type { CryptoProvider, DevnetCrypto, DevnetOrganisation } from './devnet-crypto';
export { fileCryptoProvider, cryptoDirOf } from './file-crypto-provider';
export { startChaincodeRuntime, type ChaincodeRuntime, type ChaincodeRuntimeOptions } from './chaincode';
export {
  openLedger,
  LedgerLockedError,
  LedgerCorruptError,
  LedgerDataFormatError,
  CollectionConfigError,
} from './ledger';
export {
  verifyLedger,
  formatVerifyReport,
  type VerifyOptions,
  type VerifyProblem,
  type VerifyReport,
} from './ledger';
export { ensureChaincodeBuilt } from './chaincode-build';
export { spawnDevnet, type DevnetProcess, type SpawnDevnetOptions } from './spawn-devnet';
export { runDevnetCli, type DevnetProfile } from './devnet-cli';
export { runVerifyCli, type VerifyCliOptions } from './verify-cli';
export {
  readDevnetConfig,
  devnetConfigSchema,
  usageOf,
  type DevnetConfig,
  type DevnetDefaults,
} from './config';
export type { LocalTransactionOptions } from './gateway-service/local-transaction';
export type { OrdererOptions } from './gateway-service/orderer';
