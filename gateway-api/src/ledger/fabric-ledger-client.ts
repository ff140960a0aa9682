import { status as GrpcStatus } from '@grpc/grpc-js';
import {
  CommitError,
  CommitStatusError,
  type Commit,
  type Contract,
  type Gateway,
  type Network,
  type Proposal,
} from '@hyperledger/fabric-gateway';
import { isSealedAnswer, openAnswer, transactionCatalog } from '@careledger/contract';
import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import {
  clientFor,
  GrpcConnections,
  isSubmitError,
  privateWritesOf,
  type FabricTarget,
} from '@careledger/fabric-toolkit';
import { ApiError } from '../errors/error-catalog';
import { toApiError } from '../errors/fabric-error-mapper';
import { BoundedMap } from './bounded-map';
import type {
  CallRequest,
  CallResult,
  Deadlines,
  EventCheckpoint,
  LedgerClient,
  PrivateDataBlock,
  Timings,
  TransactionStatus,
} from './ledger-client';
import type { LoadedIdentity, Wallet } from './wallet';
import { withRetries } from './with-retries';

export interface LedgerClientOptions {
  /** The network (the toolkit's `targetOf(connection file)`): callers connect to their organisation's peer. */
  readonly target: FabricTarget;
  readonly wallet: Wallet;
  readonly deadlines: Deadlines;
  /** Retries per phase of transient failures and MVCC conflicts (bounded, with backoff). */
  readonly retryAttempts: number;
  readonly logger: Logger;
  /** Most gateways (one per caller identity) kept connected at once. */
  readonly maxGateways?: number;
  /** Submitted transactions remembered for the status endpoint. */
  readonly maxPendingCommits?: number;
  /** Backoff between retries (tests make it 0). */
  readonly backoff?: (attempt: number) => number;
}

const deadline = (ms: number) => ({ deadline: Date.now() + ms });

/**
 * A call that names endorsing organisations none of which has a peer on the channel (e.g.
 * `?custodian=` of an organisation that is not a member): there is no such custodian, so none of
 * its patients exists — NOT_FOUND, not the gateway's "no peers available" as an internal error.
 */
function noSuchOrganization(request: CallRequest, err: unknown): ApiError | undefined {
  const orgs = request.endorsingOrganizations;
  if (orgs === undefined || orgs.length === 0) return undefined;
  const text = err instanceof Error ? err.message : String(err);
  if (!/no peers available to (evaluate|endorse)|failed to find any endorsing peers for org/.test(text))
    return undefined;
  return new ApiError('NOT_FOUND', `no organisation ${orgs.join(', ')} has a peer on the channel`, {
    cause: err,
  });
}

async function timed<T>(timings: Timings, phase: keyof Omit<Timings, 'attempts'>, run: () => Promise<T>) {
  const t0 = performance.now();
  try {
    return await run();
  } finally {
    timings[phase] = (timings[phase] ?? 0) + performance.now() - t0;
  }
}

class FabricLedgerClient implements LedgerClient {
  readonly #options: LedgerClientOptions;
  readonly #connections: GrpcConnections;
  /** Per identity: its gateway, and the wallet's loaded identity it was made with. */
  readonly #gateways: BoundedMap<string, { loaded: LoadedIdentity; gateway: Gateway }>;
  readonly #pending: BoundedMap<string, { identity: string; bytes: Uint8Array }>;

  constructor(options: LedgerClientOptions) {
    this.#options = options;
    this.#connections = new GrpcConnections(options.target);
    this.#gateways = new BoundedMap({
      max: options.maxGateways ?? 2000,
      onEvict: (g) => g.gateway.close(),
    });
    this.#pending = new BoundedMap({ max: options.maxPendingCommits ?? 10_000 });
  }

  /** The connected gateway of an identity, made again when the wallet has read the identity again. */
  #gateway(identity: string): Gateway {
    const loaded = this.#options.wallet.load(identity);
    const cached = this.#gateways.get(identity);
    if (cached?.loaded === loaded) return cached.gateway;
    cached?.gateway.close();
    {
      const { identity: id, signer, hash, privateKey } = loaded;
      const { target, deadlines: d } = this.#options;
      const gateway = clientFor(
        target,
        { mspId: id.mspId, certificatePem: id.credentials, privateKey },
        {
          connections: this.#connections,
          signing: { signer, hash },
          deadlines: {
            evaluateMs: d.evaluateMs,
            endorseMs: d.endorseMs,
            submitMs: d.submitMs,
            commitStatusMs: d.commitMs,
          },
        },
      ).gateway;
      this.#gateways.set(identity, { loaded, gateway });
      return gateway;
    }
  }

  #network(identity: string): Network {
    return this.#gateway(identity).getNetwork(this.#options.target.channel);
  }

  #retry<T>(on: 'newTransaction' | 'sameTransaction' | 'checkStatus', what: string, run: () => Promise<T>) {
    return withRetries(run, {
      retries: this.#options.retryAttempts,
      on,
      backoff: this.#options.backoff,
      onRetry: (attempt, err) =>
        this.#options.logger.debug({ attempt, on, what, err: (err as Error).message }, 'retrying'),
    });
  }

  async call(request: CallRequest): Promise<CallResult> {
    const contract = this.#network(request.identity).getContract(this.#options.target.chaincode);
    const evaluate = !transactionCatalog[request.transaction].submit;
    const timings: Timings = { attempts: 0 };
    try {
      return await this.#retry('newTransaction', request.transaction, async () => {
        timings.attempts += 1;
        const proposal = this.#proposal(contract, request);
        if (evaluate) {
          const payload = await timed(timings, 'evaluateMs', () => proposal.evaluate());
          return {
            payload: opened(payload, this.#options.wallet.load(request.identity).privateKey),
            timings,
          };
        }
        return await this.#submit(request, proposal, timings);
      });
    } catch (err) {
      throw noSuchOrganization(request, err) ?? toApiError(err);
    }
  }

  #proposal(contract: Contract, request: CallRequest): Proposal {
    return contract.newProposal(request.transaction, {
      arguments: [...request.args],
      transientData: Object.fromEntries(
        Object.entries(request.transient ?? {}).map(([k, v]) => [k, Buffer.from(v, 'utf8')]),
      ),
      endorsingOrganizations: request.endorsingOrganizations
        ? [...request.endorsingOrganizations]
        : undefined,
    });
  }

  /** Endorse, submit (the same envelope again after a transient failure), then await the commit. */
  async #submit(request: CallRequest, proposal: Proposal, timings: Timings): Promise<CallResult> {
    const transaction = await timed(timings, 'endorseMs', () => proposal.endorse());
    if (request.alreadyOnLedger?.(transaction.getResult()) === true) {
      // A replay of a committed write: submitting it would only commit an empty transaction.
      return { payload: transaction.getResult(), alreadyOnLedger: true, timings };
    }
    const transactionId = transaction.getTransactionId();
    const submitted = await timed(timings, 'submitMs', () =>
      this.#retry('sameTransaction', 'submit', () => transaction.submit()),
    ).catch((err: unknown) => {
      // The orderer's answer timed out: it may have ordered the transaction; let the client poll.
      if (isSubmitError(err)) this.#remember(request.identity, transaction.getBytes(), transactionId);
      throw err;
    });
    const payload = submitted.getResult();
    this.#remember(request.identity, submitted.getBytes(), transactionId);
    if (request.async === true) return { payload, transactionId, pending: true, timings };
    const status = await timed(timings, 'commitMs', () => this.#awaitCommit(submitted));
    if (!status.successful) {
      // Shaped as the client's CommitError so that the one mapper and retry policy apply.
      throw new CommitError({
        message: `Transaction ${transactionId} failed to commit with status code ${status.code}`,
        code: status.code,
        transactionId,
      });
    }
    return { payload, transactionId, blockNumber: status.blockNumber, timings };
  }

  /**
   * The commit status of the submitted transaction. A commit-status call that fails for any
   * reason but its deadline asks again for the same transaction id: it may still commit, so it
   * is never resubmitted blindly. A deadline ends the wait (504; the client polls).
   */
  #awaitCommit(commit: Commit) {
    return this.#retry('checkStatus', 'commit status', () => commit.getStatus());
  }

  #remember(identity: string, bytes: Uint8Array, transactionId: string): void {
    this.#pending.set(transactionId, { identity, bytes });
  }

  async status(identity: string, transactionId: string): Promise<TransactionStatus> {
    const pending = this.#pending.get(transactionId);
    if (!pending || pending.identity !== identity) {
      throw new ApiError('NOT_FOUND', `no transaction ${transactionId} submitted by this caller is known`);
    }
    try {
      const status = await this.#gateway(identity)
        .newCommit(pending.bytes)
        .getStatus(deadline(this.#options.deadlines.statusPollMs));
      return {
        transactionId,
        committed: true,
        valid: status.successful,
        code: status.code,
        blockNumber: status.blockNumber,
      };
    } catch (err) {
      if (err instanceof CommitStatusError && err.code === (GrpcStatus.DEADLINE_EXCEEDED as number)) {
        return { transactionId, committed: false };
      }
      throw toApiError(err);
    }
  }

  async events(identity: string, resume?: EventCheckpoint) {
    try {
      return await this.#network(identity).getChaincodeEvents(this.#options.target.chaincode, {
        checkpoint: resume && {
          getBlockNumber: () => resume.blockNumber,
          getTransactionId: () => resume.transactionId,
        },
      });
    } catch (err) {
      throw toApiError(err);
    }
  }

  async privateData(identity: string, startBlock?: bigint) {
    const chaincode = this.#options.target.chaincode;
    let blocks;
    try {
      blocks = await this.#network(identity).getBlockAndPrivateDataEvents({ startBlock });
    } catch (err) {
      throw toApiError(err);
    }
    const iterator = (async function* (): AsyncGenerator<PrivateDataBlock> {
      for await (const block of blocks) yield privateWritesOf(block, chaincode);
    })();
    const close = () => blocks.close();
    return Object.assign(iterator, { close, [Symbol.dispose]: close });
  }

  async ready(identity: string): Promise<void> {
    const contract = this.#network(identity).getContract(this.#options.target.chaincode);
    try {
      await contract.newProposal('Organizations:list').evaluate(deadline(this.#options.deadlines.readyMs));
    } catch (err) {
      throw toApiError(err);
    }
  }

  close(): void {
    for (const g of this.#gateways.values()) g.gateway.close();
    this.#gateways.clear();
    this.#connections.close();
  }
}

/**
 * The ledger over @hyperledger/fabric-gateway: one long-lived gRPC connection per peer
 * endpoint, one Gateway per caller identity (bounded, least recently used closed first).
 */
export function newLedgerClient(options: LedgerClientOptions): LedgerClient {
  return new FabricLedgerClient(options);
}

/**
 * The chaincode seals every answer with patient data to the caller's certificate, so that a
 * read that ended up in a block would show nothing to the other members; the gateway, which
 * holds the caller's key, opens it for the caller.
 */
function opened(payload: Uint8Array, privateKey: KeyObject): Uint8Array {
  if (payload.length === 0 || payload[0] !== 0x7b) return payload;
  let answer: unknown;
  try {
    answer = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    return payload;
  }
  return isSealedAnswer(answer) ? Buffer.from(JSON.stringify(openAnswer(answer, privateKey))) : payload;
}
