import type { TxSimulator } from '../ledger/tx-simulator';

/**
 * The seam between the endorser (src/gateway) and the peer side of the chaincode protocol
 * (src/chaincode). A runtime holds one long-lived `/protos.Chaincode/Connect` stream to a
 * chaincode-as-a-service process and multiplexes transactions over it by (channel, txid).
 */
export interface ChaincodeInvocation {
  readonly channelId: string;
  readonly txId: string;
  /** The client's whole serialized `protos.SignedProposal` (transient map included). */
  readonly signedProposal: Buffer;
  /** The serialized `protos.ChaincodeInput` from the proposal. */
  readonly input: Buffer;
  readonly simulator: TxSimulator;
}

export interface ChaincodeEventData {
  readonly eventName: string;
  readonly payload: Buffer;
}

/** The chaincode's `protos.Response`, plus its event if it set one. */
export interface ChaincodeResult {
  readonly status: number;
  readonly message: string;
  readonly payload: Buffer;
  readonly event?: ChaincodeEventData;
}

export interface ChaincodeRuntime {
  /** Chaincode name, as clients address it. */
  readonly name: string;
  /** Chaincode version, non-empty (it goes into `ChaincodeAction.chaincode_id.version`). */
  readonly version: string;
  /**
   * Run one transaction.
   * @throws Error `timeout expired while executing transaction` after the execute timeout,
   *   `chaincode stream terminated` if the connection drops, or
   *   `transaction returned with failure: <text>` when the shim answers ERROR.
   */
  invoke(invocation: ChaincodeInvocation): Promise<ChaincodeResult>;
  /** Close the stream and stop the chaincode process if this runtime started it. */
  close(): Promise<void>;
}
