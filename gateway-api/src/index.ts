export { createApp, type AppDeps } from './http/app';
export { startGateway, walletEntries, type RunningGateway } from './gateway-server';
export { loadConfig, configSchema, type Config } from './config';
export { ApiKeyStore } from './auth/api-key-store';
export { errorCatalog, ApiError, type ErrorCode } from './errors/error-catalog';
export { Wallet, type WalletEntry } from './ledger/wallet';
export {
  newLedgerClient,
  type LedgerClient,
  type CallRequest,
  type CallResult,
} from './ledger/ledger-client';
export { startEmbeddedNetwork, embeddedPolicy, chaincodeDir } from './embedded-network';
