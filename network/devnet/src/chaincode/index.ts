export type {
  ChaincodeEventData,
  ChaincodeInvocation,
  ChaincodeResult,
  ChaincodeRuntime,
} from './chaincode-runtime';
export { startChaincodeRuntime, type ChaincodeRuntimeOptions } from './start-chaincode-runtime';
export { STREAM_TERMINATED_MESSAGE } from './stream-chaincode-runtime';
