import { common, orderer, peer, type ledger } from '@hyperledger/fabric-protos';
import type { VerifiedIdentity } from '@careledger/fabric-toolkit';
import type { ProtoMap } from '../ledger/proto-timestamp';
import { evaluateSignaturePolicy } from '../policy/policy-evaluator';
import { filteredBlockOf } from './filtered-block';
import { satisfiesApplicationPolicy, verifySigned, type GatewayContext } from './gateway-context';

/**
 * What one Deliver call streams: whole blocks (`Deliver`), filtered ones (`DeliverFiltered`), or
 * blocks with the private data the requester may read (`DeliverWithPrivateData`).
 */
export type DeliverKind = 'block' | 'filtered' | 'private';

/** A seek request that passed the checks: the first block, the last (undefined: for ever), and the behaviour. */
export interface Seek {
  readonly start: bigint;
  readonly stop: bigint | undefined;
  readonly failIfNotReady: boolean;
  /** The identity that signed the seek (collection membership for private data). */
  readonly reader: VerifiedIdentity;
}

type Status = common.StatusMap[keyof common.StatusMap];

/** A block number as the client sent it; Fabric's clients say "for ever" with the largest they can. */
function asBlockNumber(n: number): bigint | undefined {
  return n >= Number.MAX_SAFE_INTEGER ? undefined : BigInt(n);
}

/** Where a seek position points, as Fabric's ledger iterator resolves it. */
function position(p: orderer.SeekPosition, height: bigint): bigint | undefined {
  switch (p.getTypeCase()) {
    case orderer.SeekPosition.TypeCase.OLDEST:
      return 0n;
    case orderer.SeekPosition.TypeCase.NEWEST:
      return height - 1n;
    case orderer.SeekPosition.TypeCase.SPECIFIED:
      return asBlockNumber(p.getSpecified()?.getNumber() ?? 0);
    default:
      return height; // NextCommit
  }
}

/**
 * Checks one seek envelope as Fabric's deliver handler does (common/deliver/deliver.go): a
 * parseable payload (BAD_REQUEST), this channel (NOT_FOUND), a signature of a channel reader —
 * `event/Block` and `event/FilteredBlock` are `/Channel/Application/Readers` — (FORBIDDEN), a start
 * and a stop, the stop not before the start (BAD_REQUEST).
 * @returns the seek, or the status to answer.
 */
export function planSeek(ctx: GatewayContext, envelopeBytes: Buffer): Seek | Status {
  let payload: common.Payload;
  let channelHeader: common.ChannelHeader;
  let creator: Buffer;
  let seekInfo: orderer.SeekInfo;
  const envelope = common.Envelope.deserializeBinary(envelopeBytes);
  try {
    payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    const header = payload.getHeader();
    if (header === undefined) return common.Status.BAD_REQUEST;
    channelHeader = common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8());
    creator = Buffer.from(
      common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8()).getCreator_asU8(),
    );
  } catch {
    return common.Status.BAD_REQUEST;
  }
  if (channelHeader.getChannelId() !== ctx.ledger.channelId) return common.Status.NOT_FOUND;
  try {
    seekInfo = orderer.SeekInfo.deserializeBinary(payload.getData_asU8());
  } catch {
    return common.Status.BAD_REQUEST;
  }
  const reader = verifySigned(
    ctx,
    creator,
    Buffer.from(envelope.getPayload_asU8()),
    Buffer.from(envelope.getSignature_asU8()),
  );
  if (reader === undefined || !satisfiesApplicationPolicy(ctx, reader, 'Readers'))
    return common.Status.FORBIDDEN;
  const startPosition = seekInfo.getStart();
  const stopPosition = seekInfo.getStop();
  if (startPosition === undefined || stopPosition === undefined) return common.Status.BAD_REQUEST;
  const height = ctx.ledger.height();
  const start = position(startPosition, height) ?? height;
  let stop: bigint | undefined;
  switch (stopPosition.getTypeCase()) {
    case orderer.SeekPosition.TypeCase.OLDEST:
      stop = start;
      break;
    case orderer.SeekPosition.TypeCase.NEWEST:
      stop = startPosition.getTypeCase() === orderer.SeekPosition.TypeCase.NEWEST ? start : height - 1n;
      break;
    case orderer.SeekPosition.TypeCase.SPECIFIED:
      stop = asBlockNumber(stopPosition.getSpecified()?.getNumber() ?? 0);
      if (stop !== undefined && stop < start) return common.Status.BAD_REQUEST;
      break;
    default:
      stop = undefined;
  }
  return {
    start,
    stop,
    failIfNotReady: seekInfo.getBehavior() === orderer.SeekInfo.SeekBehavior.FAIL_IF_NOT_READY,
    reader,
  };
}

/** The status answer that ends a seek (SUCCESS) or refuses it. */
export function statusResponse(status: Status): peer.DeliverResponse {
  const response = new peer.DeliverResponse();
  response.setStatus(status);
  return response;
}

/**
 * Streams the blocks of a seek (read back from the ledger one at a time, then live ones as they
 * commit), then its status: SUCCESS after the stop block; NOT_FOUND for a block that does not
 * exist yet under FAIL_IF_NOT_READY. Resolves undefined when `signal` aborts first.
 */
export async function deliverSeek(
  ctx: GatewayContext,
  kind: DeliverKind,
  seek: Seek,
  write: (response: peer.DeliverResponse) => Promise<void>,
  signal: AbortSignal,
): Promise<peer.DeliverResponse | undefined> {
  for (let next = seek.start; seek.stop === undefined || next <= seek.stop; next += 1n) {
    while (next >= ctx.ledger.height()) {
      if (seek.failIfNotReady) return statusResponse(common.Status.NOT_FOUND);
      if (signal.aborted) return undefined;
      await ctx.notifier.waitForHeight(next, signal);
    }
    if (signal.aborted) return undefined;
    const block = await ctx.ledger.getRawBlock(next);
    if (block === undefined) continue;
    const response = new peer.DeliverResponse();
    if (kind === 'block') response.setBlock(block);
    else if (kind === 'filtered') response.setFilteredBlock(filteredBlockOf(block));
    else response.setBlockAndPrivateData(await withPrivateData(ctx, block, next, seek.reader));
    await write(response);
  }
  return statusResponse(common.Status.SUCCESS);
}

/**
 * A block and, per transaction, the private data its requester gets from a peer of its own
 * organisation: that peer holds the collections its organisation is a member of (an implicit
 * collection's member is its owner alone; expired data is gone), and sends those the requester
 * may read — every one, except that a `memberOnlyRead` collection needs a requester who satisfies
 * its member policy (Fabric's `CheckCollectionPolicy`, core/peer/deliverevents.go).
 */
async function withPrivateData(
  ctx: GatewayContext,
  block: common.Block,
  number: bigint,
  reader: VerifiedIdentity,
): Promise<peer.BlockAndPrivateData> {
  const answer = new peer.BlockAndPrivateData();
  answer.setBlock(block);
  const map = answer.getPrivateDataMapMap() as unknown as ProtoMap<ledger.rwset.TxPvtReadWriteSet, number>;
  for (const [txNum, set] of await ctx.ledger.getBlockPrivateData(number)) {
    const eligible = eligibleOnly(set, (namespace, collection) => {
      const definition = ctx.ledger.collection(namespace, collection);
      return (
        definition !== undefined &&
        definition.memberOrgs.has(reader.mspId) &&
        (!definition.memberOnlyRead || evaluateSignaturePolicy(definition.memberPolicy, [reader]))
      );
    });
    if (eligible !== undefined) map.set(txNum, eligible);
  }
  return answer;
}

function eligibleOnly(
  set: ledger.rwset.TxPvtReadWriteSet,
  eligible: (namespace: string, collection: string) => boolean,
): ledger.rwset.TxPvtReadWriteSet | undefined {
  const namespaces = set.getNsPvtRwsetList().flatMap((ns) => {
    const collections = ns
      .getCollectionPvtRwsetList()
      .filter((coll) => eligible(ns.getNamespace(), coll.getCollectionName()));
    if (collections.length === 0) return [];
    ns.setCollectionPvtRwsetList(collections);
    return [ns];
  });
  if (namespaces.length === 0) return undefined;
  set.setNsPvtRwsetList(namespaces);
  return set;
}
