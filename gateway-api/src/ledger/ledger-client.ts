import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import {
  CommitError,
  connect,
  type ChaincodeEvent,
  type CloseableAsyncIterable,
  type Gateway,
  type Network,
} from '@hyperledger/fabric-gateway';
import { transactionCatalog, type TransactionName } from '@careledger/chaincode';
import type { Logger } from 'pino';
import { ApiError } from '../errors/error-catalog';
import { toApiError } from '../errors/fabric-error-mapper';
import { backoffMs, retryAction } from '../errors/retry-policy';
import type { Wallet } from './wallet';

export interface LedgerTarget {
  readonly endpoint: string;
  readonly tlsCaPem?: Buffer;
  readonly hostnameOverride?: string;
  readonly channel: string;
  readonly chaincode: string;
}

export interface Deadlines {
  readonly evaluateMs: number;
  readonly endorseMs: number;
  readonly submitMs: number;
  readonly commitMs: number;
}

export interface CallRequest {
  /** Wallet name of the caller: the transaction is signed with the caller's own identity. */
  readonly identity: string;
  readonly transaction: TransactionName;
  readonly args: readonly string[];
  readonly transient?: Readonly<Record<string, string>>;
  readonly endorsingOrganizations?: readonly string[];
  /** Return once the orderer accepted the transaction, without waiting for its commit. */
  readonly async?: boolean;
  /** Evaluate a transaction the catalogue marks as submit (a read that will not write). */
  readonly evaluate?: boolean;
}

export interface Timings {
  endorseMs?: number;
  submitMs?: number;
  commitMs?: number;
  evaluateMs?: number;
  attempts: number;
}

export interface CallResult {
  readonly payload: Uint8Array;
  readonly transactionId?: string;
  readonly blockNumber?: bigint;
  readonly pending?: boolean;
  readonly timings: Timings;
}

export interface TransactionStatus {
  readonly transactionId: string;
  readonly committed: boolean;
  readonly valid: boolean;
  readonly code: number;
  readonly blockNumber: bigint;
}

/** The ledger as the REST routes use it. Tests use a fake that implements it. */
export interface LedgerClient {
  call(request: CallRequest): Promise<CallResult>;
  status(identity: string, transactionId: string): Promise<TransactionStatus>;
  events(
    identity: string,
    resume?: { blockNumber: bigint; transactionId?: string },
  ): Promise<CloseableAsyncIterable<ChaincodeEvent>>;
  ready(identity: string): Promise<void>;
  close(): void;
}

export interface LedgerClientOptions {
  readonly target: LedgerTarget;
  readonly wallet: Wallet;
  readonly deadlines: Deadlines;
  readonly retryAttempts: number;
  readonly logger: Logger;
  /** Most gateways (one per caller identity) kept connected at once. */
  readonly maxGateways?: number;
  /** Pending async commits remembered for the status endpoint. */
  readonly maxPendingCommits?: number;
}

/** Drop the oldest entries of a Map used as a bounded cache. */
function bound<K, V>(map: Map<K, V>, max: number, onEvict?: (v: V) => void): void {
  while (map.size > max) {
    const oldest = map.keys().next();
    if (oldest.done) return;
    onEvict?.(map.get(oldest.value) as V);
    map.delete(oldest.value);
  }
}

class FabricLedgerClient implements LedgerClient {
  readonly #options: LedgerClientOptions;
  readonly #client: grpc.Client;
  readonly #gateways = new Map<string, Gateway>();
  readonly #pending = new Map<string, { identity: string; bytes: Uint8Array }>();

  constructor(options: LedgerClientOptions) {
    this.#options = options;
    const { target } = options;
    const credentials = target.tlsCaPem
      ? grpc.credentials.createSsl(target.tlsCaPem)
      : grpc.credentials.createInsecure();
    const channelOptions: grpc.ChannelOptions = {
      'grpc.keepalive_time_ms': 120_000,
      'grpc.max_send_message_length': 16 * 1024 * 1024,
      'grpc.max_receive_message_length': 16 * 1024 * 1024,
    };
    if (target.hostnameOverride) channelOptions['grpc.ssl_target_name_override'] = target.hostnameOverride;
    this.#client = new grpc.Client(target.endpoint, credentials, channelOptions);
  }

  #network(identity: string): Network {
    let gateway = this.#gateways.get(identity);
    if (gateway) {
      this.#gateways.delete(identity);
      this.#gateways.set(identity, gateway);
    } else {
      const { identity: id, signer } = this.#options.wallet.load(identity);
      const d = this.#options.deadlines;
      gateway = connect({
        client: this.#client,
        identity: id,
        signer,
        evaluateOptions: () => ({ deadline: Date.now() + d.evaluateMs }),
        endorseOptions: () => ({ deadline: Date.now() + d.endorseMs }),
        submitOptions: () => ({ deadline: Date.now() + d.submitMs }),
        commitStatusOptions: () => ({ deadline: Date.now() + d.commitMs }),
      });
      this.#gateways.set(identity, gateway);
      bound(this.#gateways, this.#options.maxGateways ?? 2000, (g) => g.close());
    }
    return gateway.getNetwork(this.#options.target.channel);
  }

  async call(request: CallRequest): Promise<CallResult> {
    const entry = transactionCatalog[request.transaction];
    const contract = this.#network(request.identity).getContract(this.#options.target.chaincode);
    const transientData = Object.fromEntries(
      Object.entries(request.transient ?? {}).map(([k, v]) => [k, Buffer.from(v, 'utf8')]),
    );
    const timings: Timings = { attempts: 0 };
    for (let attempt = 0; ; attempt++) {
      timings.attempts = attempt + 1;
      try {
        const proposal = contract.newProposal(request.transaction, {
          arguments: [...request.args],
          transientData,
          endorsingOrganizations: request.endorsingOrganizations
            ? [...request.endorsingOrganizations]
            : undefined,
        });
        if (!entry.submit || request.evaluate === true) {
          const t0 = performance.now();
          const payload = await proposal.evaluate();
          timings.evaluateMs = performance.now() - t0;
          return { payload, timings };
        }
        return await this.#submit(request.identity, proposal, request.async === true, timings);
      } catch (err) {
        const action = retryAction(err);
        if (action === 'none' || action === 'checkStatus' || attempt >= this.#options.retryAttempts) {
          throw toApiError(err);
        }
        this.#options.logger.debug({ attempt, action, tx: request.transaction }, 'retrying ledger call');
        await sleep(backoffMs(attempt));
      }
    }
  }

  async #submit(
    identity: string,
    proposal: ReturnType<ReturnType<Network['getContract']>['newProposal']>,
    async: boolean,
    timings: Timings,
  ): Promise<CallResult> {
    let t0 = performance.now();
    const transaction = await proposal.endorse();
    timings.endorseMs = performance.now() - t0;
    t0 = performance.now();
    const submitted = await transaction.submit();
    timings.submitMs = performance.now() - t0;
    const transactionId = submitted.getTransactionId();
    const payload = submitted.getResult();
    if (async) {
      this.#pending.set(transactionId, { identity, bytes: submitted.getBytes() });
      bound(this.#pending, this.#options.maxPendingCommits ?? 10_000);
      return { payload, transactionId, pending: true, timings };
    }
    t0 = performance.now();
    const status = await submitted.getStatus();
    timings.commitMs = performance.now() - t0;
    if (!status.successful) {
      // Shaped as the client's CommitError so the one mapper and retry policy apply.
      throw new CommitError({
        message: `Transaction ${transactionId} failed to commit with status code ${status.code}`,
        code: status.code,
        transactionId,
      });
    }
    return { payload, transactionId, blockNumber: status.blockNumber, timings };
  }

  async status(identity: string, transactionId: string): Promise<TransactionStatus> {
    const pending = this.#pending.get(transactionId);
    if (!pending || pending.identity !== identity) {
      throw new ApiError(
        'NOT_FOUND',
        `no transaction ${transactionId} submitted asynchronously by this caller is known`,
      );
    }
    this.#network(identity);
    const gateway = this.#gateways.get(identity);
    if (!gateway) throw new ApiError('LEDGER_UNAVAILABLE', 'gateway connection lost');
    try {
      const commit = gateway.newCommit(pending.bytes);
      const status = await commit.getStatus();
      return {
        transactionId,
        committed: true,
        valid: status.successful,
        code: status.code,
        blockNumber: status.blockNumber,
      };
    } catch (err) {
      throw toApiError(err);
    }
  }

  async events(identity: string, resume?: { blockNumber: bigint; transactionId?: string }) {
    const network = this.#network(identity);
    try {
      return await network.getChaincodeEvents(this.#options.target.chaincode, {
        checkpoint: resume && {
          getBlockNumber: () => resume.blockNumber,
          getTransactionId: () => resume.transactionId,
        },
      });
    } catch (err) {
      throw toApiError(err);
    }
  }

  async ready(identity: string): Promise<void> {
    await this.call({ identity, transaction: 'Organizations:list', args: [] });
  }

  close(): void {
    for (const g of this.#gateways.values()) g.close();
    this.#gateways.clear();
    this.#client.close();
  }
}

/** One long-lived gRPC connection to the ledger's gateway endpoint, shared by every caller. */
export function newLedgerClient(options: LedgerClientOptions): LedgerClient {
  return new FabricLedgerClient(options);
}
