import { common, peer, type ledger } from '@hyperledger/fabric-protos';
import type { AbstractBatchOperation } from 'abstract-level';
import type { Logger } from 'pino';
import type { MspRegistry } from '@careledger/fabric-toolkit';
import { BlockPrivateDataWriter } from './block-private-data';
import { BlockUpdates } from './block-updates';
import { buildBlock, encodeChainInfo, type ChainInfo } from './block-store';
import type { CollectionLookup } from './collections/collection-registry';
import { dbKeys } from './db-keys';
import { validateEndorsements } from './endorsement-validator';
import type { CommittedBlock, CommittedTransaction } from './ledger';
import type { LedgerDb } from './ledger-db';
import { validateMvcc } from './mvcc-validator';
import { expiryOps } from './private-data-expiry';
import { stateOps } from './state-ops';
import { encodeHistoryEntry, type StateReader } from './state-reader';
import type { TransientEntries, TransientStore } from './transient-store';
import { decodeTransaction, type DecodedTx } from './tx-decoder';
import { applyValidTx, type HistoryWrite } from './write-applier';

import Code = peer.TxValidationCode;

type BatchOp = AbstractBatchOperation<LedgerDb, Buffer, Buffer>;

export interface CommitContext {
  readonly db: LedgerDb;
  readonly channelId: string;
  readonly msp: MspRegistry;
  readonly reader: StateReader;
  readonly transient: TransientStore;
  readonly chaincodePolicies: ReadonlyMap<string, common.SignaturePolicyEnvelope>;
  /** Each namespace's collections: their endorsement policies and BlockToLive. */
  readonly collections: CollectionLookup;
  readonly transientRetentionBlocks: number;
  readonly logger: Logger;
}

export interface PreparedBlock {
  readonly ops: BatchOp[];
  readonly committed: CommittedBlock;
  readonly chain: ChainInfo;
  /** Call once `ops` are written: drops the purged private write sets from memory. */
  readonly written: () => void;
}

/** Encodes a txId index entry: block number, index in block, validation code. */
export function encodeTxIndex(blockNum: number, txNum: number, code: number): Buffer {
  const b = Buffer.alloc(13);
  b.writeBigUInt64BE(BigInt(blockNum), 0);
  b.writeUInt32BE(txNum, 8);
  b.writeUInt8(code, 12);
  return b;
}

export function decodeTxIndex(b: Buffer): { blockNum: number; txNum: number; code: number } {
  return { blockNum: Number(b.readBigUInt64BE(0)), txNum: b.readUInt32BE(8), code: b.readUInt8(12) };
}

/**
 * Validates a block's envelopes in order as Fabric's committer does (§4.1) and prepares one
 * atomic batch: the block, its header, state/hashed/private updates of the valid
 * transactions, the private data that expires at this block (BlockToLive) and the expiry
 * schedule of what it writes, history, the txId index (first copy wins) and transient-store
 * clean-up.
 */
export async function prepareBlock(
  ctx: CommitContext,
  chain: ChainInfo,
  envelopes: readonly Buffer[],
): Promise<PreparedBlock> {
  const blockNum = chain.height;
  const updates = new BlockUpdates();
  const history: HistoryWrite[] = [];
  const filter = new Uint8Array(envelopes.length);
  const indexed = new Map<string, Buffer>();
  const transactions: CommittedTransaction[] = [];
  const privateTxIds: string[] = [];
  const privateData = new BlockPrivateDataWriter(ctx.db, blockNum);
  const storedPrivate: ledger.rwset.TxPvtReadWriteSet[] = [];

  const decodedAll = envelopes.map((e) => decodeTransaction(e, ctx.channelId, ctx.msp));
  // Every private write set the block may need, read at once (the transactions' order does not matter here).
  const transient = await ctx.transient.load(
    decodedAll.flatMap((d) => (d.txId !== undefined && hasPrivateWrites(d) ? [d.txId] : [])),
  );

  for (let txNum = 0; txNum < envelopes.length; txNum += 1) {
    const decoded = decodedAll[txNum] as DecodedTx;
    let code = decoded.code;
    const txId = decoded.txId;
    if (code === Code.VALID && txId !== undefined) {
      const duplicate = indexed.has(txId) || ctx.db.getSync(dbKeys.txIndex(txId)) !== undefined;
      if (duplicate) code = Code.DUPLICATE_TXID;
      else code = await validateTx(ctx, decoded, updates);
      if (code === Code.VALID) {
        const privateRwset = findPrivateRwset(ctx, transient, decoded);
        if (privateRwset === undefined && hasPrivateWrites(decoded)) {
          ctx.logger.warn(
            { txId },
            'private write set of a valid transaction not in the transient store; values missing',
          );
        }
        await applyValidTx(
          {
            txId,
            version: { blockNum, txNum },
            timestamp: decoded.timestamp,
            namespaces: decoded.action?.namespaces ?? [],
            privateRwset,
          },
          ctx.reader,
          updates,
          history,
        );
        for (const ns of decoded.action?.namespaces ?? []) {
          for (const coll of ns.collections) {
            for (const write of coll.hashed.getHashedWritesList()) {
              if (write.getIsPurge()) {
                await privateData.purge(ns.namespace, coll.name, Buffer.from(write.getKeyHash_asU8()));
              }
            }
          }
        }
        if (privateRwset !== undefined) {
          privateData.add(txNum, privateRwset);
          storedPrivate.push(privateRwset);
        }
      }
      if (!duplicate) {
        indexed.set(txId, encodeTxIndex(blockNum, txNum, code));
        if (hasPrivateWrites(decoded)) privateTxIds.push(txId);
      }
    }
    filter[txNum] = code;
    transactions.push({
      txId: txId ?? '',
      code,
      chaincodeId: decoded.action?.chaincodeName,
      ...(code === Code.VALID && decoded.action?.event !== undefined ? { event: decoded.action.event } : {}),
    });
  }

  // Expiry after validation, as Fabric's purge manager adds it to the block's update batch.
  const expiry = await expiryOps({
    db: ctx.db,
    reader: ctx.reader,
    blockNum,
    updates,
    privateData,
    stored: storedPrivate,
    blockToLive: (ns, coll) => ctx.collections.collection(ns, coll)?.blockToLive ?? 0,
  });

  const { block, headerHash } = buildBlock(
    blockNum,
    Buffer.from(chain.lastHash, 'hex'),
    envelopes,
    filter,
    chain.lastConfig,
  );
  const nextChain: ChainInfo = {
    height: blockNum + 1,
    lastHash: headerHash.toString('hex'),
    lastConfig: chain.lastConfig,
  };
  const purge = await ctx.transient.purgeOps(
    transient,
    privateTxIds,
    blockNum + 1 - ctx.transientRetentionBlocks,
  );
  const ops: BatchOp[] = [
    { type: 'put', key: dbKeys.block(blockNum), value: Buffer.from(block.serializeBinary()) },
    {
      type: 'put',
      key: dbKeys.header(blockNum),
      value: Buffer.from(block.getHeader()?.serializeBinary() ?? []),
    },
    ...stateOps(updates),
    ...history.map((h): BatchOp => ({
      type: 'put',
      key: dbKeys.history(h.namespace, h.key, h.version.blockNum, h.version.txNum),
      value: encodeHistoryEntry(h.entry),
    })),
    ...[...indexed].map(([txId, value]): BatchOp => ({ type: 'put', key: dbKeys.txIndex(txId), value })),
    ...purge.ops,
    ...privateData.ops(),
    ...expiry,
    { type: 'put', key: dbKeys.chainInfo, value: encodeChainInfo(nextChain) },
  ];
  return {
    ops,
    committed: { number: BigInt(blockNum), transactions },
    chain: nextChain,
    written: purge.forget,
  };
}

async function validateTx(ctx: CommitContext, decoded: DecodedTx, updates: BlockUpdates): Promise<number> {
  if (decoded.dispatchCode !== Code.VALID) return decoded.dispatchCode;
  const action = decoded.action;
  if (action === undefined) return Code.INVALID_OTHER_REASON;
  const policyCode = await validateEndorsements(action, {
    msp: ctx.msp,
    chaincodePolicies: ctx.chaincodePolicies,
    collections: ctx.collections,
    reader: ctx.reader,
    updates,
  });
  if (policyCode !== Code.VALID) return policyCode;
  return validateMvcc(action.namespaces, ctx.reader, updates);
}

function hasPrivateWrites(decoded: DecodedTx): boolean {
  return (decoded.action?.namespaces ?? []).some((ns) =>
    ns.collections.some((c) => c.pvtRwsetHash.length > 0),
  );
}

function findPrivateRwset(ctx: CommitContext, transient: TransientEntries, decoded: DecodedTx) {
  const expected = new Map<string, Buffer>();
  for (const ns of decoded.action?.namespaces ?? []) {
    for (const coll of ns.collections) {
      if (coll.pvtRwsetHash.length > 0) expected.set(`${ns.namespace}\u0000${coll.name}`, coll.pvtRwsetHash);
    }
  }
  if (expected.size === 0 || decoded.txId === undefined) return undefined;
  return ctx.transient.find(transient, decoded.txId, expected);
}
