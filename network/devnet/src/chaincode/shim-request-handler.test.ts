import { ledger, peer } from '@hyperledger/fabric-protos';
import { InMemoryLedger } from '../testing/in-memory-ledger';
import { namespaceWrites } from '../testing/write-set';
import {
  completedMessage as completed,
  payloadText as text,
  SCRIPTED_CHANNEL as CHANNEL,
  scriptedSessionPerTest,
} from '../testing/scripted-session';
import type { ProtoTimestamp } from './proto-timestamp';

const Type = peer.ChaincodeMessage.Type;

const scripted = scriptedSessionPerTest();
const { connect, begin } = scripted;

function rangeRequest(start: string, end: string, pageSize?: number, bookmark = ''): Uint8Array {
  const req = new peer.GetStateByRange();
  req.setStartkey(start);
  req.setEndkey(end);
  if (pageSize !== undefined) {
    const metadata = new peer.QueryMetadata();
    metadata.setPagesize(pageSize);
    metadata.setBookmark(bookmark);
    req.setMetadata(metadata.serializeBinary());
  }
  return req.serializeBinary();
}

function keysOf(response: peer.QueryResponse): string[] {
  return response
    .getResultsList()
    .map((r) => ledger.queryresult.KV.deserializeBinary(r.getResultbytes_asU8()).getKey());
}

const ORG = 'Org1MSP';
const IMPLICIT = `_implicit_org_${ORG}`;

function newLedger(): InMemoryLedger {
  return new InMemoryLedger({ orgs: [ORG], channelId: CHANNEL });
}

/** A ledger holding `count` keys k0000… of chaincode cc, and a simulator of tx1 on it. */
async function seeded(
  count: number,
): Promise<{ store: InMemoryLedger; sim: ReturnType<InMemoryLedger['newSimulator']> }> {
  const store = newLedger();
  await store.seed((w) => {
    for (let i = 0; i < count; i++) w.addWrite('cc', `k${String(i).padStart(4, '0')}`, Buffer.from(`v${i}`));
  });
  return { store, sim: store.newSimulator('tx1') };
}

describe('ShimRequestHandler', () => {
  describe('requests from the shim during a transaction', () => {
    it('words failures as Fabric does: "<TYPE> failed: transaction ID: <txid>: <cause>"', async () => {
      await connect();
      const { result } = await begin('tx1', newLedger().newSimulator('tx1'));
      const getState = new peer.GetState();
      getState.setKey('a');
      getState.setCollection('notes');
      const reply = await scripted.server.request(Type.GET_STATE, CHANNEL, 'tx1', getState.serializeBinary());
      expect(reply.getType()).toBe(Type.ERROR);
      expect(reply.getTxid()).toBe('tx1');
      expect(reply.getChannelId()).toBe(CHANNEL);
      expect(text(reply)).toBe(
        `GET_STATE failed: transaction ID: tx1: collection ${CHANNEL}/cc/notes could not be found`,
      );
      const rich = await scripted.server.request(
        Type.GET_QUERY_RESULT,
        CHANNEL,
        'tx1',
        new peer.GetQueryResult().serializeBinary(),
      );
      expect(text(rich)).toBe(
        'GET_QUERY_RESULT failed: transaction ID: tx1: ExecuteQuery not supported for leveldb',
      );
      const unknown = await scripted.server.request(
        Type.GET_STATE_MULTIPLE,
        CHANNEL,
        'tx1',
        new Uint8Array(),
      );
      expect(unknown.getType()).toBe(Type.ERROR);
      expect(text(unknown)).toMatch(/^GET_STATE_MULTIPLE failed: transaction ID: tx1: /);
      scripted.server.send(completed('tx1'));
      await result;
    });

    it('answers GET_STATE with the committed value, or an empty payload when absent', async () => {
      await connect();
      const store = newLedger();
      await store.seed((w) => {
        w.addWrite('cc', 'a', Buffer.from('A'));
        w.addPrivateWrite('cc', IMPLICIT, 'p', Buffer.from('secret'));
      });
      const { result } = await begin('tx1', store.newSimulator('tx1'));
      const ask = async (key: string, collection = ''): Promise<string> => {
        const req = new peer.GetState();
        req.setKey(key);
        req.setCollection(collection);
        const reply = await scripted.server.request(Type.GET_STATE, CHANNEL, 'tx1', req.serializeBinary());
        expect(reply.getType()).toBe(Type.RESPONSE);
        return text(reply);
      };
      expect(await ask('a')).toBe('A');
      expect(await ask('missing')).toBe('');
      expect(await ask('p', IMPLICIT)).toBe('secret');
      expect(await ask('p')).toBe('');
      scripted.server.send(completed('tx1'));
      await result;
    });

    it('maps PUT_STATE with an empty value to a delete and with a collection to private data', async () => {
      await connect();
      const store = newLedger();
      const sim = store.newSimulator('tx1');
      const { result } = await begin('tx1', sim);
      const put = async (key: string, value: string, collection = ''): Promise<void> => {
        const req = new peer.PutState();
        req.setKey(key);
        req.setValue(Buffer.from(value));
        req.setCollection(collection);
        expect(
          (await scripted.server.request(Type.PUT_STATE, CHANNEL, 'tx1', req.serializeBinary())).getType(),
        ).toBe(Type.RESPONSE);
      };
      await put('a', 'A');
      await put('b', '');
      await put('c', 'C', IMPLICIT);
      const purge = new peer.DelState();
      purge.setKey('x');
      const reply = await scripted.server.request(
        Type.PURGE_PRIVATE_DATA,
        CHANNEL,
        'tx1',
        purge.serializeBinary(),
      );
      expect(text(reply)).toBe(
        'PURGE_PRIVATE_DATA failed: transaction ID: tx1: only applicable for private data',
      );
      scripted.server.send(completed('tx1'));
      await result;
      const writes = namespaceWrites('cc', sim.done(), store.privateWriteSet('tx1'));
      expect([...writes.state]).toEqual([
        ['a', { kind: 'put', value: Buffer.from('A') }],
        ['b', { kind: 'delete' }],
      ]);
      expect([...(writes.privateData.get(IMPLICIT) ?? [])]).toEqual([
        ['c', { kind: 'put', value: Buffer.from('C') }],
      ]);
    });

    it('answers GET_STATE_METADATA with a StateMetadataResult sorted by metakey', async () => {
      await connect();
      const store = newLedger();
      // Two entries on one key: more than a chaincode can write (PUT_STATE_METADATA sets one).
      await store.seed((w) => {
        w.addWrite('cc', 'a', Buffer.from('A'));
        w.addMetadataWrite(
          'cc',
          'a',
          new Map([
            ['zeta', Buffer.from('z')],
            ['VALIDATION_PARAMETER', Buffer.from('policy')],
          ]),
        );
      });
      const { result } = await begin('tx1', store.newSimulator('tx1'));
      const req = new peer.GetStateMetadata();
      req.setKey('a');
      const reply = await scripted.server.request(
        Type.GET_STATE_METADATA,
        CHANNEL,
        'tx1',
        req.serializeBinary(),
      );
      const entries = peer.StateMetadataResult.deserializeBinary(reply.getPayload_asU8()).getEntriesList();
      expect(entries.map((e) => [e.getMetakey(), Buffer.from(e.getValue_asU8()).toString()])).toEqual([
        ['VALIDATION_PARAMETER', 'policy'],
        ['zeta', 'z'],
      ]);
      scripted.server.send(completed('tx1'));
      await result;
    });

    it('batches range results by 100, holding one back so has_more always precedes a non-empty batch', async () => {
      await connect();
      const { store, sim } = await seeded(250);
      const { result } = await begin('tx1', sim);
      const first = peer.QueryResponse.deserializeBinary(
        (
          await scripted.server.request(Type.GET_STATE_BY_RANGE, CHANNEL, 'tx1', rangeRequest('', ''))
        ).getPayload_asU8(),
      );
      expect(first.getResultsList()).toHaveLength(100);
      expect(first.getHasMore()).toBe(true);
      expect(store.state.openIterators).toBe(1);
      const kv = ledger.queryresult.KV.deserializeBinary(first.getResultsList()[0]!.getResultbytes_asU8());
      expect([kv.getNamespace(), kv.getKey(), Buffer.from(kv.getValue_asU8()).toString()]).toEqual([
        'cc',
        'k0000',
        'v0',
      ]);
      const nextReq = new peer.QueryStateNext();
      nextReq.setId(first.getId());
      const batches = [first];
      for (let i = 0; i < 2; i++) {
        const reply = await scripted.server.request(
          Type.QUERY_STATE_NEXT,
          CHANNEL,
          'tx1',
          nextReq.serializeBinary(),
        );
        batches.push(peer.QueryResponse.deserializeBinary(reply.getPayload_asU8()));
      }
      expect(batches.map((b) => [b.getResultsList().length, b.getHasMore(), b.getId()])).toEqual([
        [100, true, first.getId()],
        [100, true, first.getId()],
        [50, false, first.getId()],
      ]);
      expect(batches.flatMap(keysOf)).toEqual(
        [...Array(250).keys()].map((i) => `k${String(i).padStart(4, '0')}`),
      );
      const after = await scripted.server.request(
        Type.QUERY_STATE_NEXT,
        CHANNEL,
        'tx1',
        nextReq.serializeBinary(),
      );
      expect(text(after)).toBe('QUERY_STATE_NEXT failed: transaction ID: tx1: query iterator not found');
      expect(store.state.openIterators).toBe(0);
      scripted.server.send(completed('tx1'));
      await result;
    });

    it('returns exactly 100 results in one final batch with has_more=false', async () => {
      await connect();
      const { result } = await begin('tx1', (await seeded(100)).sim);
      const reply = await scripted.server.request(
        Type.GET_STATE_BY_RANGE,
        CHANNEL,
        'tx1',
        rangeRequest('', ''),
      );
      const response = peer.QueryResponse.deserializeBinary(reply.getPayload_asU8());
      expect([response.getResultsList().length, response.getHasMore()]).toEqual([100, false]);
      scripted.server.send(completed('tx1'));
      await result;
    });

    it('answers a paginated range in one response with fetched_records_count and the next bookmark', async () => {
      await connect();
      const { result } = await begin('tx1', (await seeded(25)).sim);
      const pages: [number, string, number][] = [];
      let bookmark = '';
      do {
        const reply = await scripted.server.request(
          Type.GET_STATE_BY_RANGE,
          CHANNEL,
          'tx1',
          rangeRequest('k', 'l', 10, bookmark),
        );
        const response = peer.QueryResponse.deserializeBinary(reply.getPayload_asU8());
        const metadata = peer.QueryResponseMetadata.deserializeBinary(response.getMetadata_asU8());
        expect(response.getHasMore()).toBe(false);
        bookmark = metadata.getBookmark();
        pages.push([response.getResultsList().length, bookmark, metadata.getFetchedRecordsCount()]);
      } while (bookmark !== '');
      expect(pages).toEqual([
        [10, 'k0010', 10],
        [10, 'k0020', 10],
        [5, '', 5],
      ]);
      scripted.server.send(completed('tx1'));
      await result;
    });

    it('closes open iterators when the transaction completes; closing an unknown id is not an error', async () => {
      await connect();
      const { store, sim } = await seeded(150);
      const { result } = await begin('tx1', sim);
      await scripted.server.request(Type.GET_STATE_BY_RANGE, CHANNEL, 'tx1', rangeRequest('', ''));
      const close = new peer.QueryStateClose();
      close.setId('no-such-id');
      const reply = await scripted.server.request(
        Type.QUERY_STATE_CLOSE,
        CHANNEL,
        'tx1',
        close.serializeBinary(),
      );
      const response = peer.QueryResponse.deserializeBinary(reply.getPayload_asU8());
      expect([reply.getType(), response.getHasMore(), response.getId()]).toEqual([
        Type.RESPONSE,
        false,
        'no-such-id',
      ]);
      expect(store.state.openIterators).toBe(1);
      scripted.server.send(completed('tx1'));
      await result;
      expect(store.state.openIterators).toBe(0);
    });

    it('answers GET_HISTORY_FOR_KEY with KeyModifications that always carry a timestamp', async () => {
      await connect();
      const store = newLedger();
      await store.seed((w) => w.addWrite('cc', 'a', Buffer.from('one')), {
        txId: 't1',
        timestamp: { seconds: 10, nanos: 0 },
      });
      await store.seed((w) => w.addWrite('cc', 'a', Buffer.alloc(0)), {
        txId: 't2',
        timestamp: { seconds: 20, nanos: 5 },
      });
      const { result } = await begin('tx1', store.newSimulator('tx1'));
      const req = new peer.GetHistoryForKey();
      req.setKey('a');
      const reply = await scripted.server.request(
        Type.GET_HISTORY_FOR_KEY,
        CHANNEL,
        'tx1',
        req.serializeBinary(),
      );
      const mods = peer.QueryResponse.deserializeBinary(reply.getPayload_asU8())
        .getResultsList()
        .map((r) => ledger.queryresult.KeyModification.deserializeBinary(r.getResultbytes_asU8()));
      expect(
        mods.map((m) => {
          const ts = m.getTimestamp() as ProtoTimestamp | undefined;
          return [
            m.getTxId(),
            Buffer.from(m.getValue_asU8()).toString(),
            m.getIsDelete(),
            m.hasTimestamp(),
            ts?.getSeconds(),
            ts?.getNanos(),
          ];
        }),
      ).toEqual([
        ['t2', '', true, true, 20, 5],
        ['t1', 'one', false, true, 10, 0],
      ]);
      scripted.server.send(completed('tx1'));
      await result;
    });

    it('refuses INVOKE_CHAINCODE to an unknown chaincode or another channel', async () => {
      await connect({ resolveChaincode: () => undefined });
      const { result } = await begin('tx1');
      const call = (name: string): Promise<peer.ChaincodeMessage> => {
        const spec = new peer.ChaincodeSpec();
        const id = new peer.ChaincodeID();
        id.setName(name);
        spec.setChaincodeId(id);
        spec.setInput(new peer.ChaincodeInput());
        return scripted.server.request(Type.INVOKE_CHAINCODE, CHANNEL, 'tx1', spec.serializeBinary());
      };
      expect(text(await call('other'))).toBe(
        'INVOKE_CHAINCODE failed: transaction ID: tx1: make sure the chaincode other has been successfully defined on channel ch1 and try again',
      );
      expect(text(await call('other/ch9'))).toMatch(
        /across channels are not supported by the devnet \(ch9\)$/,
      );
      scripted.server.send(completed('tx1'));
      await result;
    });
  });
});
