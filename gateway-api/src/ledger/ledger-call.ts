import type { TransactionName } from '@careledger/contract';
import type { CallOptions, LedgerClient, Timings } from './ledger-client';

/** What a ledger call returns: the chaincode's answer, and where the transaction went. */
export interface LedgerAnswer<T> {
  /** The chaincode's result (for an asynchronous submit, the endorsed result). */
  readonly value: T;
  readonly transactionId?: string;
  readonly blockNumber?: bigint;
  /** Submitted asynchronously: ordered, commit not awaited. */
  readonly pending?: boolean;
  /** A replay: the ledger already held the write, nothing was submitted. */
  readonly alreadyOnLedger?: boolean;
  readonly timings: Timings;
}

/** A payload as JSON, or as text when it is not JSON. */
export function decodePayload(payload: Uint8Array): unknown {
  const text = Buffer.from(payload).toString('utf8');
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** One transaction: its arguments, transient inputs and the organisations that must endorse it. */
export interface Invocation {
  readonly transaction: TransactionName;
  readonly args?: readonly string[];
  readonly transient?: Readonly<Record<string, string>>;
  readonly endorsingOrganizations?: readonly string[];
  /** From the decoded endorsed answer: the ledger already holds this write (see `CallRequest.alreadyOnLedger`). */
  readonly alreadyOnLedger?: (answer: unknown) => boolean;
}

/** Run one transaction as the caller and decode its answer. */
export async function invoke<T>(
  ledger: LedgerClient,
  options: CallOptions,
  invocation: Invocation,
): Promise<LedgerAnswer<T>> {
  const result = await ledger.call({
    identity: options.identity,
    mspId: options.mspId,
    async: options.async,
    transaction: invocation.transaction,
    args: invocation.args ?? [],
    transient: invocation.transient,
    endorsingOrganizations: invocation.endorsingOrganizations,
    ...(invocation.alreadyOnLedger === undefined
      ? {}
      : { alreadyOnLedger: (payload: Uint8Array) => invocation.alreadyOnLedger!(decodePayload(payload)) }),
  });
  return {
    value: decodePayload(result.payload) as T,
    transactionId: result.transactionId,
    blockNumber: result.blockNumber,
    pending: result.pending,
    ...(result.alreadyOnLedger === true ? { alreadyOnLedger: true } : {}),
    timings: result.timings,
  };
}

/** The same answer with another value (a record composed from a receipt, say). */
export function withValue<T, U>(answer: LedgerAnswer<T>, value: U): LedgerAnswer<U> {
  return { ...answer, value };
}

/** Timings of two calls made for one request, added up. */
export function addTimings(a: Timings, b: Timings): Timings {
  const sum: Timings = { attempts: a.attempts + b.attempts };
  for (const phase of ['endorseMs', 'submitMs', 'commitMs', 'evaluateMs'] as const) {
    const total = (a[phase] ?? 0) + (b[phase] ?? 0);
    if (a[phase] !== undefined || b[phase] !== undefined) sum[phase] = total;
  }
  return sum;
}
