import { status } from '@grpc/grpc-js';
import { gateway, orderer, peer } from '@hyperledger/fabric-protos';
import type { CommittedBlock } from '../ledger/ledger';
import {
  policyDenied,
  satisfiesApplicationPolicy,
  verifySigned,
  type GatewayContext,
} from './gateway-context';
import { RpcError } from './rpc-error';

/** Where a stream delivers responses; `write` resolves when the transport can take more. */
export interface EventSink {
  write(response: gateway.ChaincodeEventsResponse): Promise<void>;
}

/** A checked events request: where to start and what to deliver. */
export interface EventsPlan {
  readonly chaincodeId: string;
  readonly startBlock: bigint;
  readonly afterTransactionId: string;
}

/**
 * Checks a `SignedChaincodeEventsRequest` and resolves its start block:
 * the block of `after_transaction_id` when that transaction is on the ledger, else the
 * specified block, else (next_commit or none) the current height.
 * @throws RpcError INVALID_ARGUMENT, PERMISSION_DENIED or NOT_FOUND as Fabric's gateway does.
 */
export function planChaincodeEvents(
  ctx: GatewayContext,
  signed: gateway.SignedChaincodeEventsRequest,
): EventsPlan {
  const requestBytes = Buffer.from(signed.getRequest_asU8());
  if (requestBytes.length === 0)
    throw new RpcError(status.INVALID_ARGUMENT, 'a chaincode events request is required');
  let request: gateway.ChaincodeEventsRequest;
  try {
    request = gateway.ChaincodeEventsRequest.deserializeBinary(requestBytes);
  } catch (err) {
    throw new RpcError(
      status.INVALID_ARGUMENT,
      `invalid chaincode events request: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const identity = Buffer.from(request.getIdentity_asU8());
  const reader = verifySigned(ctx, identity, requestBytes, Buffer.from(signed.getSignature_asU8()));
  if (reader === undefined || !satisfiesApplicationPolicy(ctx, reader, 'Readers')) {
    throw new RpcError(status.PERMISSION_DENIED, policyDenied('Readers'));
  }
  if (request.getChannelId() !== ctx.ledger.channelId) {
    throw new RpcError(status.NOT_FOUND, `channel ${request.getChannelId()} not found`);
  }
  const afterTransactionId = request.getAfterTransactionId();
  const after = afterTransactionId === '' ? undefined : ctx.ledger.getTxStatus(afterTransactionId);
  let startBlock: bigint;
  if (after !== undefined) startBlock = after.blockNumber;
  else startBlock = startFromPosition(request.getStartPosition(), ctx.ledger.height());
  return { chaincodeId: request.getChaincodeId(), startBlock, afterTransactionId };
}

function startFromPosition(position: orderer.SeekPosition | undefined, height: bigint): bigint {
  if (position === undefined) return height;
  const Type = orderer.SeekPosition.TypeCase;
  switch (position.getTypeCase()) {
    case Type.SPECIFIED:
      return BigInt(position.getSpecified()?.getNumber() ?? 0);
    case Type.NEXT_COMMIT:
    case Type.TYPE_NOT_SET:
      return height;
    default: {
      const name = position.getTypeCase() === Type.NEWEST ? 'Newest' : 'Oldest';
      throw new RpcError(
        status.INVALID_ARGUMENT,
        `invalid start position type: *orderer.SeekPosition_${name}`,
      );
    }
  }
}

/**
 * Streams one response per block that has matching events, from the plan's start block
 * through committed blocks and then live ones, until `signal` aborts. Blocks are read back
 * from the ledger one at a time, so a slow client holds at most one block in memory.
 */
export async function streamChaincodeEvents(
  ctx: GatewayContext,
  plan: EventsPlan,
  sink: EventSink,
  signal: AbortSignal,
): Promise<void> {
  let next = plan.startBlock;
  let skipping = plan.afterTransactionId !== '';
  while (!signal.aborted) {
    if (next >= ctx.ledger.height()) {
      await ctx.notifier.waitForHeight(next, signal);
      continue;
    }
    const block = await ctx.ledger.getBlock(next);
    next += 1n;
    if (block === undefined) continue;
    const matched = matchingEvents(block, plan.chaincodeId, skipping, plan.afterTransactionId);
    skipping = matched.skipping;
    if (matched.events.length === 0 || signal.aborted) continue;
    const response = new gateway.ChaincodeEventsResponse();
    response.setBlockNumber(Number(block.number));
    response.setEventsList(matched.events);
    await sink.write(response);
  }
}

function matchingEvents(
  block: CommittedBlock,
  chaincodeId: string,
  skipping: boolean,
  afterTransactionId: string,
): { events: peer.ChaincodeEvent[]; skipping: boolean } {
  const events: peer.ChaincodeEvent[] = [];
  for (const tx of block.transactions) {
    const event = tx.event;
    if (tx.code !== peer.TxValidationCode.VALID || event === undefined) continue;
    if (event.chaincodeId === '' || event.eventName === '' || tx.txId === '') continue;
    if (skipping) {
      // Fabric skips every event up to and including the checkpointed transaction's.
      if (tx.txId === afterTransactionId) skipping = false;
      continue;
    }
    if (event.chaincodeId !== chaincodeId) continue;
    const proto = new peer.ChaincodeEvent();
    proto.setChaincodeId(event.chaincodeId);
    proto.setTxId(tx.txId);
    proto.setEventName(event.eventName);
    proto.setPayload(event.payload);
    events.push(proto);
  }
  return { events, skipping };
}
