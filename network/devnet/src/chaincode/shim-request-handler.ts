import { messageOf } from '../error-message';
import { randomUUID } from 'node:crypto';
import { ledger, peer } from '@hyperledger/fabric-protos';
import type { KeyModification, KeyValue } from '../ledger/tx-simulator';
import { errorMessage, MessageType, responseMessage, typeName } from './chaincode-messages';
import { arrayIterator, mapIterator, QueryCursor, queryResponse, resultBytes } from './query-batcher';
import { newTimestamp } from './proto-timestamp';
import type { TransactionContext } from './transaction-context';

/** A same-channel chaincode-to-chaincode call; resolves to the callee's final ChaincodeMessage. */
export type InvokeChaincode = (
  context: TransactionContext,
  target: ChaincodeTarget,
  input: peer.ChaincodeInput,
) => Promise<peer.ChaincodeMessage>;

export interface ChaincodeTarget {
  readonly name: string;
  /** The channel named after `/`, or '' for the caller's channel. */
  readonly channelId: string;
}

export interface ShimRequestHandlerOptions {
  /** The invoked chaincode's name: the ledger namespace of every request. */
  readonly namespace: string;
  /** Fabric's ledger.state.totalQueryLimit: the page size used when a page size is not positive. */
  readonly totalQueryLimit: number;
  readonly invokeChaincode: InvokeChaincode;
}

type Payload = Uint8Array | undefined;

/**
 * Serves the requests fabric-shim sends during a transaction
 * against the transaction's simulator. Every answer is a RESPONSE, or an ERROR whose text is
 * Fabric's `<TYPE> failed: transaction ID: <txid>: <cause>`.
 */
export class ShimRequestHandler {
  readonly #ns: string;
  readonly #totalQueryLimit: number;
  readonly #invokeChaincode: InvokeChaincode;
  readonly #kv: (item: KeyValue) => Uint8Array;

  constructor(options: ShimRequestHandlerOptions) {
    this.#ns = options.namespace;
    this.#kv = kvEncoder(options.namespace);
    this.#totalQueryLimit = options.totalQueryLimit;
    this.#invokeChaincode = options.invokeChaincode;
  }

  /** Never throws: failures become ERROR messages. */
  async handle(context: TransactionContext, request: peer.ChaincodeMessage): Promise<peer.ChaincodeMessage> {
    try {
      return responseMessage(request, await this.#dispatch(context, request));
    } catch (err) {
      return errorMessage(request, messageOf(err));
    }
  }

  #dispatch(context: TransactionContext, request: peer.ChaincodeMessage): Promise<Payload> {
    const payload = request.getPayload_asU8();
    switch (request.getType()) {
      case MessageType.GET_STATE:
        return this.#getState(context, peer.GetState.deserializeBinary(payload));
      case MessageType.GET_PRIVATE_DATA_HASH:
        return this.#getPrivateDataHash(context, peer.GetState.deserializeBinary(payload));
      case MessageType.GET_STATE_METADATA:
        return this.#getStateMetadata(context, peer.GetStateMetadata.deserializeBinary(payload));
      case MessageType.PUT_STATE:
        return this.#putState(context, peer.PutState.deserializeBinary(payload));
      case MessageType.DEL_STATE:
        return this.#delState(context, peer.DelState.deserializeBinary(payload));
      case MessageType.PUT_STATE_METADATA:
        return this.#putStateMetadata(context, peer.PutStateMetadata.deserializeBinary(payload));
      case MessageType.PURGE_PRIVATE_DATA:
        return this.#purgePrivateData(context, peer.DelState.deserializeBinary(payload));
      case MessageType.GET_STATE_BY_RANGE:
        return this.#getStateByRange(context, peer.GetStateByRange.deserializeBinary(payload));
      case MessageType.QUERY_STATE_NEXT:
        return this.#queryStateNext(context, peer.QueryStateNext.deserializeBinary(payload));
      case MessageType.QUERY_STATE_CLOSE:
        return this.#queryStateClose(context, peer.QueryStateClose.deserializeBinary(payload));
      case MessageType.GET_HISTORY_FOR_KEY:
        return this.#getHistoryForKey(context, peer.GetHistoryForKey.deserializeBinary(payload));
      case MessageType.GET_QUERY_RESULT:
        // What a LevelDB peer answers; rich queries need CouchDB.
        return Promise.reject(new Error('ExecuteQuery not supported for leveldb'));
      case MessageType.INVOKE_CHAINCODE:
        return this.#invoke(context, peer.ChaincodeSpec.deserializeBinary(payload));
      default:
        return Promise.reject(
          new Error(
            `the devnet peer does not handle ${typeName(request.getType())} messages from a chaincode`,
          ),
        );
    }
  }

  async #getState(context: TransactionContext, req: peer.GetState): Promise<Payload> {
    const collection = req.getCollection();
    const sim = context.simulator;
    return collection === ''
      ? sim.getState(this.#ns, req.getKey())
      : sim.getPrivateData(this.#ns, collection, req.getKey());
  }

  async #getPrivateDataHash(context: TransactionContext, req: peer.GetState): Promise<Payload> {
    return context.simulator.getPrivateDataHash(this.#ns, req.getCollection(), req.getKey());
  }

  async #getStateMetadata(context: TransactionContext, req: peer.GetStateMetadata): Promise<Payload> {
    const collection = req.getCollection();
    const sim = context.simulator;
    const metadata =
      collection === ''
        ? await sim.getStateMetadata(this.#ns, req.getKey())
        : await sim.getPrivateDataMetadata(this.#ns, collection, req.getKey());
    const result = new peer.StateMetadataResult();
    // Sorted so that endorsers answer byte-identically (Fabric iterates a Go map).
    for (const name of [...metadata.keys()].sort()) {
      const entry = new peer.StateMetadata();
      entry.setMetakey(name);
      entry.setValue(metadata.get(name) as Buffer);
      result.addEntries(entry);
    }
    return result.serializeBinary();
  }

  async #putState(context: TransactionContext, req: peer.PutState): Promise<Payload> {
    const collection = req.getCollection();
    const key = req.getKey();
    const value = Buffer.from(req.getValue_asU8());
    const sim = context.simulator;
    // A zero-length value is a delete (rwset_proto_util: is_delete = len(value) == 0).
    if (collection === '') {
      await (value.length === 0 ? sim.deleteState(this.#ns, key) : sim.putState(this.#ns, key, value));
    } else {
      await (value.length === 0
        ? sim.deletePrivateData(this.#ns, collection, key)
        : sim.putPrivateData(this.#ns, collection, key, value));
    }
    return undefined;
  }

  async #delState(context: TransactionContext, req: peer.DelState): Promise<Payload> {
    const collection = req.getCollection();
    const sim = context.simulator;
    await (collection === ''
      ? sim.deleteState(this.#ns, req.getKey())
      : sim.deletePrivateData(this.#ns, collection, req.getKey()));
    return undefined;
  }

  async #putStateMetadata(context: TransactionContext, req: peer.PutStateMetadata): Promise<Payload> {
    const metadata = req.getMetadata();
    if (metadata === undefined) throw new Error('PutStateMetadata carries no metadata entry');
    const collection = req.getCollection();
    const value = Buffer.from(metadata.getValue_asU8());
    const sim = context.simulator;
    await (collection === ''
      ? sim.setStateMetadata(this.#ns, req.getKey(), metadata.getMetakey(), value)
      : sim.setPrivateDataMetadata(this.#ns, collection, req.getKey(), metadata.getMetakey(), value));
    return undefined;
  }

  async #purgePrivateData(context: TransactionContext, req: peer.DelState): Promise<Payload> {
    if (req.getCollection() === '') throw new Error('only applicable for private data');
    await context.simulator.purgePrivateData(this.#ns, req.getCollection(), req.getKey());
    return undefined;
  }

  async #getStateByRange(context: TransactionContext, req: peer.GetStateByRange): Promise<Payload> {
    const sim = context.simulator;
    const collection = req.getCollection();
    const start = req.getStartkey();
    const end = req.getEndkey();
    if (collection !== '') {
      return this.#openCursor(
        context,
        mapIterator(sim.getPrivateDataByRange(this.#ns, collection, start, end), this.#kv),
      );
    }
    const metadataBytes = req.getMetadata_asU8();
    const metadata =
      metadataBytes.length > 0 ? peer.QueryMetadata.deserializeBinary(metadataBytes) : undefined;
    if (metadata === undefined || (metadata.getPagesize() === 0 && metadata.getBookmark() === '')) {
      return this.#openCursor(context, mapIterator(sim.getStateByRange(this.#ns, start, end), this.#kv));
    }
    const pageSize = metadata.getPagesize() > 0 ? metadata.getPagesize() : this.#totalQueryLimit;
    const page = await sim.getStateByRangeWithPagination(
      this.#ns,
      start,
      end,
      pageSize,
      metadata.getBookmark(),
    );
    // A paginated query answers in one response and keeps no iterator open.
    const response = queryResponse(
      randomUUID(),
      page.results.map((item) => resultBytes(this.#kv(item))),
      false,
    );
    const responseMetadata = new peer.QueryResponseMetadata();
    responseMetadata.setFetchedRecordsCount(page.results.length);
    responseMetadata.setBookmark(page.bookmark);
    response.setMetadata(responseMetadata.serializeBinary());
    return response.serializeBinary();
  }

  async #getHistoryForKey(context: TransactionContext, req: peer.GetHistoryForKey): Promise<Payload> {
    const history = await context.simulator.getHistoryForKey(this.#ns, req.getKey());
    return this.#openCursor(context, mapIterator(arrayIterator(history), keyModification));
  }

  async #openCursor(context: TransactionContext, source: AsyncIterator<Uint8Array>): Promise<Payload> {
    const cursor = new QueryCursor(source);
    context.addCursor(cursor);
    return this.#nextBatch(context, cursor);
  }

  async #queryStateNext(context: TransactionContext, req: peer.QueryStateNext): Promise<Payload> {
    const cursor = context.cursor(req.getId());
    if (cursor === undefined) throw new Error('query iterator not found');
    return this.#nextBatch(context, cursor);
  }

  async #nextBatch(context: TransactionContext, cursor: QueryCursor): Promise<Payload> {
    try {
      const response = await cursor.nextBatch();
      if (cursor.closed) await context.closeCursor(cursor.id);
      return response.serializeBinary();
    } catch (err) {
      await context.closeCursor(cursor.id);
      throw err;
    }
  }

  async #queryStateClose(context: TransactionContext, req: peer.QueryStateClose): Promise<Payload> {
    // An unknown id is not an error (Fabric answers the same way).
    await context.closeCursor(req.getId());
    return queryResponse(req.getId(), [], false).serializeBinary();
  }

  async #invoke(context: TransactionContext, spec: peer.ChaincodeSpec): Promise<Payload> {
    const input = spec.getInput();
    if (input === undefined) throw new Error('ChaincodeSpec carries no input');
    const target = parseTarget(spec.getChaincodeId()?.getName() ?? '');
    const message = await this.#invokeChaincode(context, target, input);
    return message.serializeBinary();
  }
}

/** Parses `name[:version][/channel]`, the form fabric-shim's invokeChaincode accepts. */
export function parseTarget(spec: string): ChaincodeTarget {
  const slash = spec.indexOf('/');
  const nameAndVersion = slash < 0 ? spec : spec.slice(0, slash);
  const channelId = slash < 0 ? '' : spec.slice(slash + 1);
  const colon = nameAndVersion.indexOf(':');
  const name = colon < 0 ? nameAndVersion : nameAndVersion.slice(0, colon);
  if (name === '') throw new Error(`invalid chaincode name '${spec}'`);
  return { name, channelId };
}

function kvEncoder(namespace: string): (item: KeyValue) => Uint8Array {
  return (item) => kvBytes(namespace, item);
}

function kvBytes(namespace: string, item: KeyValue): Uint8Array {
  const message = new ledger.queryresult.KV();
  message.setNamespace(namespace);
  message.setKey(item.key);
  message.setValue(item.value);
  return message.serializeBinary();
}

function keyModification(item: KeyModification): Uint8Array {
  const message = new ledger.queryresult.KeyModification();
  message.setTxId(item.txId);
  message.setValue(item.isDelete ? Buffer.alloc(0) : item.value);
  message.setIsDelete(item.isDelete);
  // fabric-shim reads the timestamp without a null check: it must always be set.
  message.setTimestamp(newTimestamp(item.timestamp.seconds, item.timestamp.nanos));
  return message.serializeBinary();
}
