export { createApp, type AppDeps } from './http/app';
export { startGateway, walletEntries, type RunningGateway } from './gateway-server';
export type { ShutdownOutcome } from './http/graceful-server';
export { loadConfig, configSchema, type Config } from './config';
export { ApiKeyStore } from './auth/api-key-store';
export { errorCatalog, ApiError, type ErrorCode } from './errors/error-catalog';
export { Wallet, type WalletEntry } from './ledger/wallet';
export { newLedgerClient, type LedgerClientOptions } from './ledger/fabric-ledger-client';
export type {
  LedgerClient,
  CallOptions,
  CallRequest,
  CallResult,
  Deadlines,
  Timings,
  TransactionStatus,
} from './ledger/ledger-client';
export { newCareLedger, type CareLedger, type LedgerAnswer, type PageRequest } from './ledger/care-ledger';
export { spawnGateway, type GatewayProcess } from './gateway-process';
export {
  startEmbeddedNetwork,
  spawnEmbeddedNetwork,
  type EmbeddedNetwork,
  type EmbeddedNetworkProcess,
  type NewIdentity,
} from './embedded-entry';
export { embeddedPolicy, chaincodeDir, careledgerDataFormat } from './embedded/careledger-network';
export {
  newCareLedgerClient,
  type CareLedgerClient,
  type CareLedgerClientOptions,
  type components as ApiComponents,
  type paths as ApiPaths,
} from './client/careledger-client';
