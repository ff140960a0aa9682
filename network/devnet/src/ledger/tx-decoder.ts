import { common, ledger, peer } from '@hyperledger/fabric-protos';
import type { MspRegistry, VerifiedIdentity } from '@careledger/fabric-toolkit';
import { sha256 } from './key-order';
import { headerTimestamp } from './proto-timestamp';

import Code = peer.TxValidationCode;
import kvrwset = ledger.rwset.kvrwset;

export interface CollectionRwSet {
  readonly name: string;
  readonly hashed: kvrwset.HashedRWSet;
  readonly pvtRwsetHash: Buffer;
}

export interface NamespaceRwSet {
  readonly namespace: string;
  readonly kv: kvrwset.KVRWSet;
  readonly collections: readonly CollectionRwSet[];
}

export interface EndorsedAction {
  readonly chaincodeName: string;
  readonly prpBytes: Buffer;
  readonly endorsements: readonly peer.Endorsement[];
  readonly namespaces: readonly NamespaceRwSet[];
  readonly event:
    { readonly chaincodeId: string; readonly eventName: string; readonly payload: Buffer } | undefined;
}

export interface DecodedTx {
  /** The code after the stateless checks (§4.1 steps 1–2); VALID if they passed. */
  readonly code: number;
  /** Set once the txid was checked against SHA-256(nonce ‖ creator). */
  readonly txId: string | undefined;
  readonly creator: VerifiedIdentity | undefined;
  readonly timestamp: { readonly seconds: number; readonly nanos: number };
  /** The code of the plugin-dispatch structure checks (§4.1 step 4, before the policy). */
  readonly dispatchCode: number;
  readonly action: EndorsedAction | undefined;
}

const noTime = { seconds: 0, nanos: 0 };

function fail(code: number, partial: Partial<DecodedTx> = {}): DecodedTx {
  return {
    code,
    txId: undefined,
    creator: undefined,
    timestamp: noTime,
    dispatchCode: Code.VALID,
    action: undefined,
    ...partial,
  };
}

function tryDecode<T>(decode: () => T): T | undefined {
  try {
    return decode();
  } catch {
    return undefined;
  }
}

/**
 * Decodes one envelope and runs the checks of Fabric's `ValidateTransaction` and the
 * structure checks of the plugin dispatcher, leaving the ledger-side
 * checks (duplicates, policies, MVCC) to the committer.
 */
export function decodeTransaction(bytes: Buffer, channelId: string, msp: MspRegistry): DecodedTx {
  if (bytes.length === 0) return fail(Code.NIL_ENVELOPE);
  const envelope = tryDecode(() => common.Envelope.deserializeBinary(bytes));
  if (envelope === undefined) return fail(Code.INVALID_OTHER_REASON);
  const payloadBytes = envelope.getPayload_asU8();
  const payload = tryDecode(() => common.Payload.deserializeBinary(payloadBytes));
  const header = payload?.getHeader();
  if (payload === undefined || header === undefined) return fail(Code.BAD_PAYLOAD);
  const channelHeaderBytes = header.getChannelHeader_asU8();
  const channelHeader = tryDecode(() => common.ChannelHeader.deserializeBinary(channelHeaderBytes));
  const signatureHeader = tryDecode(() =>
    common.SignatureHeader.deserializeBinary(header.getSignatureHeader_asU8()),
  );
  if (channelHeader === undefined || signatureHeader === undefined) return fail(Code.BAD_COMMON_HEADER);
  const timestamp = headerTimestamp(channelHeader);
  const type = channelHeader.getType();
  const nonce = Buffer.from(signatureHeader.getNonce_asU8());
  const creatorBytes = Buffer.from(signatureHeader.getCreator_asU8());
  const knownType =
    type === common.HeaderType.ENDORSER_TRANSACTION ||
    type === common.HeaderType.CONFIG ||
    type === common.HeaderType.CONFIG_UPDATE;
  if (!knownType || channelHeader.getEpoch() !== 0 || nonce.length === 0 || creatorBytes.length === 0) {
    return fail(Code.BAD_COMMON_HEADER, { timestamp });
  }
  if (channelHeader.getChannelId() !== channelId) return fail(Code.TARGET_CHAIN_NOT_FOUND, { timestamp });

  let creator: VerifiedIdentity;
  try {
    creator = msp.validateIdentity(creatorBytes);
    if (!msp.verify(creator, Buffer.from(payloadBytes), Buffer.from(envelope.getSignature_asU8()))) {
      return fail(Code.BAD_CREATOR_SIGNATURE, { timestamp });
    }
  } catch {
    return fail(Code.BAD_CREATOR_SIGNATURE, { timestamp });
  }
  // Config transactions are created by the ledger itself (genesis); none are accepted from clients.
  if (type !== common.HeaderType.ENDORSER_TRANSACTION) {
    return fail(Code.INVALID_CONFIG_TRANSACTION, { timestamp, creator });
  }
  const txId = channelHeader.getTxId();
  if (sha256(Buffer.concat([nonce, creatorBytes])).toString('hex') !== txId) {
    return fail(Code.BAD_PROPOSAL_TXID, { timestamp, creator });
  }

  const base = { txId, creator, timestamp };
  const transaction = tryDecode(() => peer.Transaction.deserializeBinary(payload.getData_asU8()));
  const actions = transaction?.getActionsList() ?? [];
  const txAction = actions[0];
  if (actions.length !== 1 || txAction === undefined) return fail(Code.INVALID_ENDORSER_TRANSACTION, base);
  const actionHeader = tryDecode(() => common.SignatureHeader.deserializeBinary(txAction.getHeader_asU8()));
  const ccPayload = tryDecode(() =>
    peer.ChaincodeActionPayload.deserializeBinary(txAction.getPayload_asU8()),
  );
  const endorsed = ccPayload?.getAction();
  if (actionHeader === undefined || ccPayload === undefined || endorsed === undefined) {
    return fail(Code.INVALID_ENDORSER_TRANSACTION, base);
  }
  const prpBytes = Buffer.from(endorsed.getProposalResponsePayload_asU8());
  const prp = tryDecode(() => peer.ProposalResponsePayload.deserializeBinary(prpBytes));
  const expectedHash = sha256(
    Buffer.concat([
      channelHeaderBytes,
      txAction.getHeader_asU8(),
      ccPayload.getChaincodeProposalPayload_asU8(),
    ]),
  );
  if (prp === undefined || !expectedHash.equals(Buffer.from(prp.getProposalHash_asU8()))) {
    return fail(Code.INVALID_ENDORSER_TRANSACTION, base);
  }

  const dispatch = (dispatchCode: number, action?: EndorsedAction): DecodedTx => ({
    code: Code.VALID,
    ...base,
    dispatchCode,
    action,
  });
  const extension = tryDecode(() =>
    peer.ChaincodeHeaderExtension.deserializeBinary(channelHeader.getExtension_asU8()),
  );
  if (extension === undefined) return dispatch(Code.BAD_HEADER_EXTENSION);
  const ccAction = tryDecode(() => peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8()));
  if (ccAction === undefined || prp.getExtension_asU8().length === 0)
    return dispatch(Code.BAD_RESPONSE_PAYLOAD);
  const txRwset = tryDecode(() => ledger.rwset.TxReadWriteSet.deserializeBinary(ccAction.getResults_asU8()));
  if (txRwset === undefined) return dispatch(Code.BAD_RWSET);
  const namespaces: NamespaceRwSet[] = [];
  for (const ns of txRwset.getNsRwsetList()) {
    const kv = tryDecode(() => kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8()));
    const collections: CollectionRwSet[] = [];
    for (const coll of ns.getCollectionHashedRwsetList()) {
      const hashed = tryDecode(() => kvrwset.HashedRWSet.deserializeBinary(coll.getHashedRwset_asU8()));
      if (hashed === undefined) return dispatch(Code.BAD_RWSET);
      collections.push({
        name: coll.getCollectionName(),
        hashed,
        pvtRwsetHash: Buffer.from(coll.getPvtRwsetHash_asU8()),
      });
    }
    if (kv === undefined) return dispatch(Code.BAD_RWSET);
    namespaces.push({ namespace: ns.getNamespace(), kv, collections });
  }
  const headerCc = extension.getChaincodeId();
  const actionCc = ccAction.getChaincodeId();
  if (headerCc === undefined || actionCc === undefined) return dispatch(Code.INVALID_OTHER_REASON);
  const chaincodeName = headerCc.getName();
  if (chaincodeName === '' || actionCc.getName() !== chaincodeName || actionCc.getVersion() === '') {
    return dispatch(Code.INVALID_CHAINCODE);
  }
  let event: EndorsedAction['event'];
  if (ccAction.getEvents_asU8().length > 0) {
    const ev = tryDecode(() => peer.ChaincodeEvent.deserializeBinary(ccAction.getEvents_asU8()));
    if (ev === undefined || ev.getChaincodeId() !== chaincodeName) return dispatch(Code.INVALID_OTHER_REASON);
    event = {
      chaincodeId: ev.getChaincodeId(),
      eventName: ev.getEventName(),
      payload: Buffer.from(ev.getPayload_asU8()),
    };
  }
  if (new Set(namespaces.map((n) => n.namespace)).size !== namespaces.length)
    return dispatch(Code.ILLEGAL_WRITESET);
  return dispatch(Code.VALID, {
    chaincodeName,
    prpBytes,
    endorsements: endorsed.getEndorsementsList(),
    namespaces,
    event,
  });
}
