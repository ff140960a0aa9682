import { status as GrpcStatus } from '@grpc/grpc-js';
import {
  CommitError,
  CommitStatusError,
  EndorseError,
  GatewayError,
  StatusCode,
} from '@hyperledger/fabric-gateway';
import { CONCURRENCY_LIMIT_MESSAGE, TIMEOUT_MESSAGE } from '../fabric-messages';

/**
 * What went wrong with a Fabric Gateway call, in the terms a client acts on:
 * - `chaincode`: the chaincode answered with an error (`chaincodeMessage`); nothing was ordered;
 * - `readConflict`: committed invalid because a concurrent transaction changed what it read
 *   (MVCC_READ_CONFLICT, PHANTOM_READ_CONFLICT): a new transaction may succeed;
 * - `invalidated`: committed invalid for another reason (`validationCode`);
 * - `commitUnknown`: ordered, or maybe ordered, but its outcome was not seen in time;
 * - `identityRefused`: the channel's policies refuse the caller's identity itself;
 * - `unavailable`: the ledger could not take the call (unreachable, overloaded, deadline, or the
 *   chaincode did not answer within the peer's execute timeout);
 * - `other`: any other Fabric error; `notFabric`: not an error of the Fabric client at all.
 */
export type FabricFailureKind =
  | 'chaincode'
  | 'readConflict'
  | 'invalidated'
  | 'commitUnknown'
  | 'identityRefused'
  | 'unavailable'
  | 'other'
  | 'notFabric';

/** The step that failed: `gateway` is an evaluation or another call of the Gateway service. */
export type FabricPhase = 'gateway' | 'endorse' | 'submit' | 'commitStatus' | 'commit' | 'client';

export interface FabricFailure {
  readonly kind: FabricFailureKind;
  readonly phase: FabricPhase;
  /** The gRPC status code of a Gateway service error, and its name (`UNAVAILABLE`). */
  readonly grpcCode?: number;
  readonly grpcName?: string;
  /** The transaction validation code of a committed invalid transaction, and its name. */
  readonly validationCode?: number;
  readonly validationName?: string;
  readonly transactionId?: string;
  /** The chaincode's own error message (after Fabric's `chaincode response <status>, `). */
  readonly chaincodeMessage?: string;
  /** Every text of the error: each endorser's or orderer's detail, then its own message. */
  readonly texts: readonly string[];
}

/** TxValidationCodes a new transaction can cure. */
export const MVCC_READ_CONFLICT = StatusCode.MVCC_READ_CONFLICT;
export const PHANTOM_READ_CONFLICT = StatusCode.PHANTOM_READ_CONFLICT;

const unavailableCodes = new Set<number>([
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.RESOURCE_EXHAUSTED,
  GrpcStatus.CANCELLED,
]);

const chaincodeResponse = /chaincode response \d+, ([\s\S]*)$/;

/** The name of a transaction validation code, e.g. 11 → `MVCC_READ_CONFLICT`. */
export function validationCodeName(code: number): string {
  return Object.entries(StatusCode).find(([, value]) => value === code)?.[0] ?? String(code);
}

/**
 * A failure sending an endorsed transaction to the orderer. fabric-gateway 1.11 exports
 * `SubmitError` as a type only, so it is recognised by name.
 */
export function isSubmitError(err: unknown): err is GatewayError & { readonly transactionId: string } {
  return err instanceof GatewayError && err.name === 'SubmitError';
}

function phaseOf(err: GatewayError): FabricPhase {
  if (err instanceof EndorseError) return 'endorse';
  if (err instanceof CommitStatusError) return 'commitStatus';
  if (isSubmitError(err)) return 'submit';
  return 'gateway';
}

function kindOf(err: GatewayError, phase: FabricPhase, texts: readonly string[], chaincode: boolean) {
  if (texts.some((m) => m.includes(TIMEOUT_MESSAGE))) return 'unavailable';
  if (chaincode) return 'chaincode';
  if (phase === 'commitStatus') return 'commitUnknown';
  // The peer refused the call past its concurrency limit: nothing was done, try again later.
  if (texts.some((m) => m.includes(CONCURRENCY_LIMIT_MESSAGE))) return 'unavailable';
  if (phase === 'submit' && err.code === (GrpcStatus.DEADLINE_EXCEEDED as number)) return 'commitUnknown';
  if (err.code === (GrpcStatus.PERMISSION_DENIED as number)) return 'identityRefused';
  if (unavailableCodes.has(err.code)) return 'unavailable';
  return 'other';
}

/**
 * The one classifier of Fabric client errors: the REST gateway's error mapping, its retry policy
 * and the benchmark's failure codes are each a table over it. Pure; never throws.
 */
export function classifyFabricError(err: unknown): FabricFailure {
  if (err instanceof CommitError) {
    const conflict = err.code === MVCC_READ_CONFLICT || err.code === PHANTOM_READ_CONFLICT;
    return {
      kind: conflict ? 'readConflict' : 'invalidated',
      phase: 'commit',
      validationCode: err.code,
      validationName: validationCodeName(err.code),
      transactionId: err.transactionId,
      texts: [err.message],
    };
  }
  if (!(err instanceof GatewayError)) {
    return { kind: 'notFabric', phase: 'client', texts: [err instanceof Error ? err.message : String(err)] };
  }
  const texts = [...err.details.map((d) => d.message), err.message];
  const chaincodeMessage = texts.map((t) => chaincodeResponse.exec(t)?.[1]).find((m) => m !== undefined);
  const phase = phaseOf(err);
  const transactionId =
    'transactionId' in err ? (err as { transactionId?: string }).transactionId : undefined;
  return {
    kind: kindOf(err, phase, texts, chaincodeMessage !== undefined),
    phase,
    grpcCode: err.code,
    grpcName: GrpcStatus[err.code] ?? String(err.code),
    ...(transactionId ? { transactionId } : {}),
    ...(chaincodeMessage !== undefined ? { chaincodeMessage } : {}),
    texts,
  };
}
