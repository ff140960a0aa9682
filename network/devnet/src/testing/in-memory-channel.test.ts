import { createHash } from 'node:crypto';
import { peer } from '@hyperledger/fabric-protos';
import type { ChaincodeStub, Iterators } from 'fabric-shim';
import { PAGINATED_WRITE_MESSAGE } from '@careledger/fabric-toolkit';
import { InMemoryChannel } from './in-memory-channel';
import { PRIVATE_DATA_NOT_AVAILABLE } from './fabric-texts';
import type { ProposalOptions } from './in-memory-channel';
import type { SimulatedProposal } from './simulated-proposal';

// The chaincode's view of a Fabric 2.5 peer: fabric-shim's own stub over the devnet's request
// handler, simulator and committer, as contract tests use them.

const A = 'HospitalAMSP';
const B = 'HospitalBMSP';
const implicitA = `_implicit_org_${A}`;
const implicitB = `_implicit_org_${B}`;

function newChannel(): InMemoryChannel {
  return new InMemoryChannel({ channelId: 'healthchannel', chaincodeName: 'careledger', orgs: [A, B] });
}

function propose(channel: InMemoryChannel, extra: Partial<ProposalOptions> = {}): SimulatedProposal {
  return channel.propose({ creator: { mspId: A, idBytes: Buffer.from('cert-of-a') }, ...extra });
}

/** Simulates `write` in one transaction and commits it VALID. */
async function commitOne(
  channel: InMemoryChannel,
  write: (stub: ChaincodeStub) => Promise<void>,
  extra: Partial<ProposalOptions> = {},
): Promise<SimulatedProposal> {
  const proposal = propose(channel, extra);
  await write(proposal.stub);
  expect(await channel.commit(proposal)).toBe(peer.TxValidationCode.VALID);
  return proposal;
}

async function drain(iterator: { next(): Promise<{ value: Iterators.KV; done?: boolean }> }) {
  const keys: string[] = [];
  for (let r = await iterator.next(); !r.done; r = await iterator.next()) keys.push(r.value.key);
  return keys;
}

const text = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString();

describe('InMemoryChannel', () => {
  it('reads committed state only (no read-your-writes) and treats an empty value as a delete', async () => {
    const channel = newChannel();
    const proposal = propose(channel);
    await proposal.stub.putState('k', Buffer.from('v'));
    expect(await proposal.stub.getState('k')).toHaveLength(0);
    await channel.commit(proposal);
    expect(text(await propose(channel).stub.getState('k'))).toBe('v');
    await commitOne(channel, (s) => s.putState('k', Buffer.alloc(0)));
    expect(channel.worldState().state.has('k')).toBe(false);
  });

  it('serves pages of 10, 10 and 5 with the next key as bookmark, and no metadata for an empty last page', async () => {
    const channel = newChannel();
    await commitOne(channel, async (s) => {
      for (let i = 0; i < 25; i += 1) {
        await s.putState(s.createCompositeKey('item', [String(i).padStart(2, '0')]), Buffer.from('x'));
      }
    });
    const counts: number[] = [];
    let bookmark = '';
    do {
      const { stub } = propose(channel);
      const { iterator, metadata } = await stub.getStateByPartialCompositeKeyWithPagination(
        'item',
        [],
        10,
        bookmark,
      );
      expect(await drain(iterator)).toHaveLength(metadata.fetchedRecordsCount);
      counts.push(metadata.fetchedRecordsCount);
      bookmark = metadata.bookmark;
    } while (bookmark !== '');
    expect(counts).toEqual([10, 10, 5]);
    const empty = await propose(channel).stub.getStateByRangeWithPagination('x', 'y', 10);
    expect(empty.metadata).toBeUndefined();
  });

  it('forbids a write after a paginated query and a paginated query after a write, in Fabric words', async () => {
    const channel = newChannel();
    const reader = propose(channel, { txId: 'reader' });
    await reader.stub.getStateByRangeWithPagination('a', 'z', 5);
    await expect(reader.stub.putState('a', Buffer.from('1'))).rejects.toThrow(
      `PUT_STATE failed: transaction ID: reader: txid [reader]: ${PAGINATED_WRITE_MESSAGE}`,
    );
    const writer = propose(channel, { txId: 'writer' });
    await writer.stub.putState('a', Buffer.from('1'));
    await expect(writer.stub.getStateByRangeWithPagination('a', 'z', 5)).rejects.toThrow(
      'txid [writer]: unsuppored transaction. Paginated queries are supported only in a read-only transaction',
    );
  });

  it('keeps composite keys out of plain ranges and refuses range bounds in their namespace', async () => {
    const channel = newChannel();
    const { stub } = propose(channel);
    const composite = stub.createCompositeKey('vital', ['p-1', '2026']);
    expect(composite).toBe('\u0000vital\u0000p-1\u00002026\u0000');
    expect(stub.splitCompositeKey(composite)).toEqual({ objectType: 'vital', attributes: ['p-1', '2026'] });
    expect(() => stub.createCompositeKey('vital', [''])).toThrow('non-zero length string');
    await commitOne(channel, async (s) => {
      await s.putState(composite, Buffer.from('c'));
      await s.putState('plain', Buffer.from('p'));
    });
    expect(await drain(await propose(channel).stub.getStateByRange('', ''))).toEqual(['plain']);
    expect(await drain(await propose(channel).stub.getStateByPartialCompositeKey('vital', ['p-1']))).toEqual([
      composite,
    ]);
    await expect(propose(channel).stub.getStateByRange('\u0000vital', '')).rejects.toThrow('null character');
  });

  it('orders range results by UTF-8 bytes, start included and end excluded, and is async-iterable', async () => {
    const channel = newChannel();
    await commitOne(channel, async (s) => {
      for (const k of ['b', 'a', '\u{1F600}', '\uFFFD', 'c']) await s.putState(k, Buffer.from(k));
    });
    const seen: string[] = [];
    for await (const kv of propose(channel).stub.getStateByRange('a', 'c')) seen.push(kv.key);
    expect(seen).toEqual(['a', 'b']);
    expect(await drain(await propose(channel).stub.getStateByRange('c', ''))).toEqual([
      'c',
      '\uFFFD',
      '\u{1F600}',
    ]);
  });

  it('closes the iterators a transaction left open when it finishes', async () => {
    const channel = newChannel();
    await commitOne(channel, async (s) => {
      for (let i = 0; i < 150; i += 1) await s.putState(`k${String(i).padStart(3, '0')}`, Buffer.from('v'));
    });
    const proposal = propose(channel);
    const iterator = await proposal.stub.getStateByRange('', '');
    expect((await iterator.next()).value.key).toBe('k000');
    expect(channel.ledger.state.openIterators).toBe(1);
    proposal.finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(channel.ledger.state.openIterators).toBe(0);
  });

  it('keeps the last event of a transaction', () => {
    const proposal = propose(newChannel());
    proposal.stub.setEvent('First', Buffer.from('1'));
    proposal.stub.setEvent('Second', Buffer.from('2'));
    expect(proposal.event).toEqual({ name: 'Second', payload: Buffer.from('2') });
    expect(() => proposal.stub.setEvent('', Buffer.alloc(0))).toThrow('non-empty string');
  });

  it("answers a private value's SHA-256 hash to any peer, the value only to its organisation's peers", async () => {
    const channel = newChannel();
    await commitOne(channel, (s) => s.putPrivateData(implicitA, 'p-1', Buffer.from('secret')));
    const atB = propose(channel, { endorserMspId: B });
    expect(Buffer.from(await atB.stub.getPrivateDataHash(implicitA, 'p-1'))).toEqual(
      createHash('sha256').update('secret').digest(),
    );
    await expect(atB.stub.getPrivateData(implicitA, 'p-1')).rejects.toThrow(
      `${PRIVATE_DATA_NOT_AVAILABLE}. Public hash version = {BlockNum: 1, TxNum: 0}, Private data version = <nil>`,
    );
    expect(await atB.stub.getPrivateData(implicitB, 'p-1')).toHaveLength(0);
    expect(text(await propose(channel).stub.getPrivateData(implicitA, 'p-1'))).toBe('secret');
    await expect(atB.stub.getPrivateData('', 'p-1')).rejects.toThrow('collection must be a valid string');
    await expect(atB.stub.getPrivateData('notes', 'p-1')).rejects.toThrow(
      'collection healthchannel/careledger/notes could not be found',
    );
  });

  it('ranges over private data only on a holding peer, and only in a transaction that does not write', async () => {
    const channel = newChannel();
    await commitOne(channel, async (s) => {
      for (const k of ['r2', 'r1', 's1']) await s.putPrivateData(implicitA, k, Buffer.from(k));
    });
    const keys = async (at: string): Promise<string[]> => {
      const seen: string[] = [];
      for await (const kv of propose(channel, { endorserMspId: at }).stub.getPrivateDataByRange(
        implicitA,
        'r',
        's',
      ))
        seen.push(kv.key);
      return seen;
    };
    expect(await keys(A)).toEqual(['r1', 'r2']);
    expect(await keys(B)).toEqual([]);
    const writer = propose(channel, { txId: 'w' });
    await writer.stub.putState('x', Buffer.from('1'));
    await expect(writer.stub.getPrivateDataByRange(implicitA, 'r', 's')).rejects.toThrow(
      'txid [w]: unsuppored transaction. Queries on pvt data is supported only in a read-only transaction',
    );
  });

  it('applies state validation parameters at commit, drops them with the key and for an absent key', async () => {
    const channel = newChannel();
    const proposal = propose(channel);
    await proposal.stub.putState('k', Buffer.from('v'));
    await proposal.stub.setStateValidationParameter('k', Buffer.from('policy'));
    expect(await proposal.stub.getStateValidationParameter('k')).toBeUndefined();
    await channel.commit(proposal);
    expect(text(await propose(channel).stub.getStateValidationParameter('k'))).toBe('policy');
    await commitOne(channel, (s) => s.deleteState('k'));
    expect(await propose(channel).stub.getStateValidationParameter('k')).toBeUndefined();
    await commitOne(channel, (s) => s.setStateValidationParameter('absent', Buffer.from('policy')));
    expect(channel.worldState().validationParameters.size).toBe(0);
  });

  it('answers history newest first, a delete with an empty value, every entry with its timestamp', async () => {
    const channel = newChannel();
    const at = (second: number) => ({ timestamp: new Date(Date.UTC(2026, 10, 22, 10, 0, second)) });
    await commitOne(channel, (s) => s.putState('k', Buffer.from('one')), at(1));
    await commitOne(channel, (s) => s.putState('k', Buffer.from('two')), at(2));
    const deleted = await commitOne(channel, (s) => s.deleteState('k'), at(3));
    const iterator = await propose(channel).stub.getHistoryForKey('k');
    const entries: [string, boolean, number][] = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      entries.push([text(r.value.value), r.value.isDelete, Number(r.value.timestamp.seconds)]);
    }
    const seconds = Date.UTC(2026, 10, 22, 10, 0, 0) / 1000;
    expect(entries).toEqual([
      ['', true, seconds + 3],
      ['two', false, seconds + 2],
      ['one', false, seconds + 1],
    ]);
    await expect((await propose(channel).stub.getHistoryForKey('k')).next()).resolves.toMatchObject({
      value: { txId: deleted.txId },
    });
  });

  it('fails a transaction at commit whose read another transaction changed (MVCC_READ_CONFLICT)', async () => {
    const channel = newChannel();
    await commitOne(channel, (s) => s.putState('k', Buffer.from('1')));
    const stale = propose(channel);
    await stale.stub.getState('k');
    await stale.stub.putState('k', Buffer.from('stale'));
    await commitOne(channel, (s) => s.putState('k', Buffer.from('2')));
    expect(await channel.commit(stale)).toBe(peer.TxValidationCode.MVCC_READ_CONFLICT);
    expect(text(await propose(channel).stub.getState('k'))).toBe('2');
  });

  it('decodes what a transaction wrote: public, private and key-level policies, one entry per key', async () => {
    const channel = newChannel();
    const proposal = propose(channel);
    await proposal.stub.putState('a', Buffer.from('1'));
    await proposal.stub.deleteState('a');
    await proposal.stub.putState('b', Buffer.from('2'));
    await proposal.stub.setStateValidationParameter('b', Buffer.from('policy'));
    await proposal.stub.putPrivateData(implicitA, 'p', Buffer.from('secret'));
    const writes = proposal.writes();
    expect([...writes.state]).toEqual([
      ['a', { kind: 'delete' }],
      ['b', { kind: 'put', value: Buffer.from('2') }],
    ]);
    expect([...writes.validationParameters]).toEqual([['b', Buffer.from('policy')]]);
    expect([...(writes.privateData.get(implicitA) ?? [])]).toEqual([
      ['p', { kind: 'put', value: Buffer.from('secret') }],
    ]);
    expect(proposal.hasWrites()).toBe(true);
    expect(propose(channel).hasWrites()).toBe(false);
  });

  it('gives the transient map, the creator, the timestamp, the arguments and the peer organisation', () => {
    const timestamp = new Date('2026-11-22T10:00:01.250Z');
    const { stub } = propose(newChannel(), {
      transient: new Map([['demographics', Buffer.from('{}')]]),
      args: ['Vitals:record', '{"x":1}'],
      timestamp,
    });
    expect(text(stub.getTransient().get('demographics'))).toBe('{}');
    const creator = stub.getCreator();
    expect([creator.mspid, text(creator.idBytes)]).toEqual([A, 'cert-of-a']);
    expect(stub.getFunctionAndParameters()).toEqual({ fcn: 'Vitals:record', params: ['{"x":1}'] });
    expect(stub.getDateTimestamp()).toEqual(timestamp);
    expect(stub.getChannelID()).toBe('healthchannel');
    expect([stub.getMspID(), propose(newChannel(), { endorserMspId: B }).stub.getMspID()]).toEqual([A, B]);
  });
});
