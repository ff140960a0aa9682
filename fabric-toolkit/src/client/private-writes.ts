import { common, ledger, peer } from '@hyperledger/fabric-protos';

/** One private write of a valid transaction in a delivered block. */
export interface DeliveredPrivateWrite {
  readonly transactionId: string;
  readonly collection: string;
  readonly key: string;
  readonly value: Uint8Array;
}

/** A block from DeliverWithPrivateData, reduced to one chaincode's private writes. */
export interface DeliveredPrivateData {
  readonly blockNumber: bigint;
  readonly writes: readonly DeliveredPrivateWrite[];
}

const VALID = peer.TxValidationCode.VALID as number;

/** The part of google-protobuf's map this reads (its types are not resolved here). */
interface PrivateDataMap {
  forEach(callback: (set: ledger.rwset.TxPvtReadWriteSet, txNum: number) => void): void;
}

function transactionIdAt(block: common.Block, txNum: number): string {
  const bytes = block.getData()?.getDataList_asU8()[txNum];
  if (bytes === undefined) return '';
  const header = common.Payload.deserializeBinary(
    common.Envelope.deserializeBinary(bytes).getPayload_asU8(),
  ).getHeader();
  return header === undefined
    ? ''
    : common.ChannelHeader.deserializeBinary(header.getChannelHeader_asU8()).getTxId();
}

/**
 * The private writes of `namespace` in a block as a peer's DeliverWithPrivateData sends it: per
 * transaction, the collections the requester's organisation holds. A peer keeps private data of
 * valid transactions only; the block's validation codes are checked again all the same. Deletes
 * (and purges) are left out: they carry no value.
 */
export function privateWritesOf(answer: peer.BlockAndPrivateData, namespace: string): DeliveredPrivateData {
  const block = answer.getBlock();
  const blockNumber = BigInt(block?.getHeader()?.getNumber() ?? 0);
  const codes = block?.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER];
  const writes: DeliveredPrivateWrite[] = [];
  const byTx: [number, ledger.rwset.TxPvtReadWriteSet][] = [];
  (answer.getPrivateDataMapMap() as unknown as PrivateDataMap).forEach((set, txNum) =>
    byTx.push([txNum, set]),
  );
  byTx.sort(([a], [b]) => a - b);
  for (const [txNum, set] of byTx) {
    if (block === undefined || (codes?.[txNum] ?? VALID) !== VALID) continue;
    const transactionId = transactionIdAt(block, txNum);
    for (const ns of set.getNsPvtRwsetList()) {
      if (ns.getNamespace() !== namespace) continue;
      for (const coll of ns.getCollectionPvtRwsetList()) {
        const rwset = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(coll.getRwset_asU8());
        for (const write of rwset.getWritesList()) {
          if (write.getIsDelete()) continue;
          writes.push({
            transactionId,
            collection: coll.getCollectionName(),
            key: write.getKey(),
            value: write.getValue_asU8(),
          });
        }
      }
    }
  }
  return { blockNumber, writes };
}
