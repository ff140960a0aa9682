import type { AbstractBatchOperation } from 'abstract-level';
import type { Logger } from 'pino';
import { BlockPrivateDataWriter } from './block-private-data';
import { buildBlock, encodeChainInfo, type ChainInfo } from './block-store';
import { BlockUpdates } from './block-updates';
import {
  configEnvelope,
  decodeDefinition,
  decodeSequence,
  definitionKey,
  encodeDefinition,
  encodeSequence,
  LIFECYCLE_NAMESPACE,
  sameDefinition,
  sequenceKey,
  type ChaincodeDefinition,
} from './chaincode-definitions';
import { CollectionConfigError } from './collections/collection-definition';
import { dbKeys } from './db-keys';
import type { LedgerDb } from './ledger-db';
import { expiryOps } from './private-data-expiry';
import type { StateReader } from './state-reader';
import { stateOps } from './state-ops';
import { encodeStateRecord, type Version } from './state-record';

type BatchOp = AbstractBatchOperation<LedgerDb, Buffer, Buffer>;

export interface RecordedDefinition {
  readonly definition: ChaincodeDefinition;
  /** The version of its `_lifecycle` sequence record (what every endorsement reads). */
  readonly version: Version;
}

export interface DefinitionContext {
  readonly db: LedgerDb;
  readonly reader: StateReader;
  readonly channelId: string;
  readonly logger: Logger;
  readonly syncWrites: boolean;
}

/**
 * Records the configured chaincode definitions: a config block (block 0 on a new ledger) for new or
 * changed ones, each changed one at the next sequence. A changed definition must keep every
 * collection the recorded one has, with its blockToLive, as Fabric's `_lifecycle` demands
 * (`validateCollConfigsAgainstCommittedDef`).
 * @returns the chain after the config block, and the definitions in force by name.
 * @throws CollectionConfigError `chaincode <cc>: <Fabric's text>` for a change Fabric refuses.
 */
export async function recordDefinitions(
  ctx: DefinitionContext,
  chain: ChainInfo,
  chaincodes: readonly ChaincodeDefinition[],
): Promise<{ readonly chain: ChainInfo; readonly definitions: Map<string, RecordedDefinition> }> {
  const changed: ChaincodeDefinition[] = [];
  for (const cc of chaincodes) {
    const stored = await ctx.reader.getState(LIFECYCLE_NAMESPACE, definitionKey(cc.name));
    if (sameDefinition(cc, stored)) continue;
    if (stored !== undefined) checkCollectionChange(cc, decodeDefinition(stored));
    changed.push(cc);
  }
  let next = chain;
  if (changed.length > 0 || chain.height === 0) next = await commitConfigBlock(ctx, chain, changed);
  const definitions = new Map<string, RecordedDefinition>();
  for (const cc of chaincodes) {
    const record = await ctx.reader.getState(LIFECYCLE_NAMESPACE, sequenceKey(cc.name));
    if (record !== undefined) definitions.set(cc.name, { definition: cc, version: record.version });
  }
  return { chain: next, definitions };
}

function checkCollectionChange(proposed: ChaincodeDefinition, committed: ChaincodeDefinition): void {
  const before = committed.collections ?? [];
  if (before.length === 0) return;
  const fail = (message: string): never => {
    throw new CollectionConfigError(`chaincode ${proposed.name}: ${message}`);
  };
  const after = new Map((proposed.collections ?? []).map((c) => [c.name, c]));
  if (after.size === 0)
    fail('the proposed collection config does not contain previously defined collections');
  for (const old of before) {
    const now = after.get(old.name);
    if (now === undefined)
      fail(`existing collection [${old.name}] missing in the proposed collection configuration`);
    else if (now.blockToLive !== old.blockToLive) {
      fail(
        `the BlockToLive in an existing collection [${old.name}] modified. Existing value [${old.blockToLive}]`,
      );
    }
  }
}

async function commitConfigBlock(
  ctx: DefinitionContext,
  chain: ChainInfo,
  changed: readonly ChaincodeDefinition[],
): Promise<ChainInfo> {
  const blockNum = chain.height;
  const version = { blockNum, txNum: 0 };
  const envelope = configEnvelope(ctx.channelId, blockNum, changed);
  const { block, headerHash } = buildBlock(
    blockNum,
    Buffer.from(chain.lastHash, 'hex'),
    [envelope],
    new Uint8Array([0]),
    blockNum,
  );
  const next: ChainInfo = {
    height: blockNum + 1,
    lastHash: headerHash.toString('hex'),
    lastConfig: blockNum,
  };
  const ops: BatchOp[] = [
    { type: 'put', key: dbKeys.block(blockNum), value: Buffer.from(block.serializeBinary()) },
    {
      type: 'put',
      key: dbKeys.header(blockNum),
      value: Buffer.from(block.getHeader()?.serializeBinary() ?? []),
    },
    { type: 'put', key: dbKeys.chainInfo, value: encodeChainInfo(next) },
  ];
  for (const cc of changed) {
    const sequence = decodeSequence(await ctx.reader.getState(LIFECYCLE_NAMESPACE, sequenceKey(cc.name))) + 1;
    const put = (key: string, value: Buffer): void => {
      ops.push({
        type: 'put',
        key: dbKeys.state(LIFECYCLE_NAMESPACE, key),
        value: encodeStateRecord({ value, version, metadata: new Map() }),
      });
    };
    put(sequenceKey(cc.name), encodeSequence(sequence));
    put(definitionKey(cc.name), encodeDefinition(cc));
  }
  // A config block is a block: what expires at it (BlockToLive) is purged with it.
  const updates = new BlockUpdates();
  const privateData = new BlockPrivateDataWriter(ctx.db, blockNum);
  const expiry = await expiryOps({
    db: ctx.db,
    reader: ctx.reader,
    blockNum,
    updates,
    privateData,
    stored: [],
    blockToLive: () => 0,
  });
  ops.push(...stateOps(updates), ...privateData.ops(), ...expiry);
  await ctx.db.batch(ops, { sync: ctx.syncWrites });
  ctx.logger.info(
    { channelId: ctx.channelId, block: blockNum, chaincodes: changed.map((c) => `${c.name}@${c.version}`) },
    blockNum === 0 ? 'created genesis block' : 'recorded chaincode definitions',
  );
  return next;
}
