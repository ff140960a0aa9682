import { peer } from '@hyperledger/fabric-protos';
import { KeyEndorsementPolicy } from '../testing/key-endorsement-policy';
import {
  CC,
  commitCodes,
  createTestNetwork,
  endorse,
  openTestLedger,
  put,
  removeDir,
  tempDataDir,
  type TestNetwork,
} from '../testing/ledger-test-env';
import type { DevnetLedger } from './level-ledger';

const Code = peer.TxValidationCode;

describe('Ledger', () => {
  let net: TestNetwork;
  let dir: string;
  let ledger: DevnetLedger;

  beforeAll(async () => {
    net = await createTestNetwork();
  });
  beforeEach(async () => {
    dir = tempDataDir();
    ledger = await openTestLedger(net, dir);
  });
  afterEach(async () => {
    await ledger.close();
    removeDir(dir);
  });

  const readModifyWrite = (key: string, value: string) =>
    endorse(net, ledger, async (sim, ns) => {
      await sim.getState(ns, key);
      await sim.putState(ns, key, Buffer.from(value));
    });

  describe('commitBlock', () => {
    it('starts user transactions at block 1 after the genesis block', async () => {
      expect(ledger.height()).toBe(1n);
      const block = await ledger.commitBlock([(await endorse(net, ledger, put('k', 'v'))).envelope]);
      expect(block.number).toBe(1n);
      expect(block.transactions[0]?.code).toBe(Code.VALID);
      expect(ledger.height()).toBe(2n);
    });

    it('marks the second of two read-modify-writes of one key in a block MVCC_READ_CONFLICT', async () => {
      await commitCodes(ledger, await endorse(net, ledger, put('counter', '0')));
      const first = await readModifyWrite('counter', '1');
      const second = await readModifyWrite('counter', '2');
      expect(await commitCodes(ledger, first, second)).toEqual([Code.VALID, Code.MVCC_READ_CONFLICT]);
      expect(ledger.getTxStatus(second.txId)).toEqual({ txId: second.txId, code: 11, blockNumber: 2n });
      const read = await endorse(net, ledger, async (sim, ns) => {
        expect((await sim.getState(ns, 'counter'))?.toString()).toBe('1');
      });
      expect(await commitCodes(ledger, read)).toEqual([Code.VALID]);
    });

    it('marks a read of a key changed in an earlier block MVCC_READ_CONFLICT', async () => {
      await commitCodes(ledger, await endorse(net, ledger, put('k', 'a')));
      const stale = await readModifyWrite('k', 'c');
      await commitCodes(ledger, await endorse(net, ledger, put('k', 'b')));
      expect(await commitCodes(ledger, stale)).toEqual([Code.MVCC_READ_CONFLICT]);
    });

    it('accepts a read of an absent key that is still absent (nil version matches nil)', async () => {
      expect(await commitCodes(ledger, await readModifyWrite('fresh', 'x'))).toEqual([Code.VALID]);
    });

    describe('phantom reads', () => {
      const rangeReader = () =>
        endorse(net, ledger, async (sim, ns) => {
          const it = sim.getStateByRange(ns, 'r1', 'r5');
          while (!(await it.next()).done) {
            // consume the whole range
          }
          await sim.putState(ns, 'summary', Buffer.from('x'));
        });

      beforeEach(async () => {
        await commitCodes(
          ledger,
          await endorse(net, ledger, async (sim, ns) => {
            await sim.putState(ns, 'r1', Buffer.from('1'));
            await sim.putState(ns, 'r3', Buffer.from('3'));
          }),
        );
      });

      it.each([
        ['an insert', put('r2', 'new')],
        ['an update', put('r3', 'changed')],
        [
          'a delete',
          (sim: Parameters<Parameters<typeof endorse>[2]>[0], ns: string) => sim.deleteState(ns, 'r1'),
        ],
      ])(
        'marks the range reader PHANTOM_READ_CONFLICT after %s in the range earlier in the block',
        async (_, write) => {
          const reader = await rangeReader();
          const writer = await endorse(net, ledger, write);
          expect(await commitCodes(ledger, writer, reader)).toEqual([Code.VALID, Code.PHANTOM_READ_CONFLICT]);
        },
      );

      it('marks the range reader PHANTOM_READ_CONFLICT after an insert committed in an earlier block', async () => {
        const reader = await rangeReader();
        await commitCodes(ledger, await endorse(net, ledger, put('r4', 'x')));
        expect(await commitCodes(ledger, reader)).toEqual([Code.PHANTOM_READ_CONFLICT]);
      });

      it('keeps the range reader VALID when the write is outside the range', async () => {
        const reader = await rangeReader();
        const writer = await endorse(net, ledger, put('r5', 'end-excluded'));
        expect(await commitCodes(ledger, writer, reader)).toEqual([Code.VALID, Code.VALID]);
      });

      it('ignores inserts beyond the last consumed key when the iterator was not exhausted', async () => {
        const partial = await endorse(net, ledger, async (sim, ns) => {
          const it = sim.getStateByRange(ns, 'r1', 'r9');
          await it.next();
          await it.return?.();
          await sim.putState(ns, 'summary', Buffer.from('x'));
        });
        const writer = await endorse(net, ledger, put('r2', 'after-r1'));
        expect(await commitCodes(ledger, writer, partial)).toEqual([Code.VALID, Code.VALID]);
      });
    });

    describe('duplicate transaction ids', () => {
      it('marks a resubmitted transaction DUPLICATE_TXID and keeps the first status', async () => {
        const tx = await endorse(net, ledger, put('d', '1'));
        expect(await commitCodes(ledger, tx)).toEqual([Code.VALID]);
        expect(await commitCodes(ledger, tx)).toEqual([Code.DUPLICATE_TXID]);
        expect(ledger.getTxStatus(tx.txId)).toEqual({ txId: tx.txId, code: Code.VALID, blockNumber: 1n });
      });

      it('marks a later copy in the same block DUPLICATE_TXID', async () => {
        const tx = await endorse(net, ledger, put('d', '1'));
        expect(await commitCodes(ledger, tx, tx)).toEqual([Code.VALID, Code.DUPLICATE_TXID]);
      });

      it('marks a resubmission of a transaction that failed with 11 DUPLICATE_TXID, keeping 11', async () => {
        await commitCodes(ledger, await endorse(net, ledger, put('c', '0')));
        const a = await readModifyWrite('c', '1');
        const b = await readModifyWrite('c', '2');
        await commitCodes(ledger, a, b);
        expect(await commitCodes(ledger, b)).toEqual([Code.DUPLICATE_TXID]);
        expect(ledger.getTxStatus(b.txId)?.code).toBe(Code.MVCC_READ_CONFLICT);
      });

      it('answers undefined for a transaction id never committed', () => {
        expect(ledger.getTxStatus('f'.repeat(64))).toBeUndefined();
      });
    });

    describe('endorsement policies', () => {
      it('marks a transaction endorsed by one of three organisations under MAJORITY ENDORSEMENT_POLICY_FAILURE', async () => {
        const tx = await endorse(net, ledger, put('p', '1'), { endorsers: [net.peers.A] });
        expect(await commitCodes(ledger, tx)).toEqual([Code.ENDORSEMENT_POLICY_FAILURE]);
      });

      it('does not count two endorsements by the same identity twice', async () => {
        const tx = await endorse(net, ledger, put('p', '1'), { endorsers: [net.peers.A, net.peers.A] });
        expect(await commitCodes(ledger, tx)).toEqual([Code.ENDORSEMENT_POLICY_FAILURE]);
      });

      it('ignores an endorsement whose signature does not verify', async () => {
        const forged = { ...net.peers.B, sign: (m: Buffer) => net.peers.C.sign(m) };
        const tx = await endorse(net, ledger, put('p', '1'), { endorsers: [net.peers.A, forged] });
        expect(await commitCodes(ledger, tx)).toEqual([Code.ENDORSEMENT_POLICY_FAILURE]);
      });

      it('applies a key-level policy instead of the chaincode policy for that key', async () => {
        const policy = new KeyEndorsementPolicy();
        policy.addOrgs('PEER', 'BMSP');
        await commitCodes(
          ledger,
          await endorse(net, ledger, async (sim, ns) => {
            await sim.putState(ns, 'guarded', Buffer.from('v0'));
            await sim.setStateMetadata(ns, 'guarded', 'VALIDATION_PARAMETER', policy.getPolicy());
          }),
        );
        const withoutB = await endorse(net, ledger, put('guarded', 'v1'), {
          endorsers: [net.peers.A, net.peers.C],
        });
        const onlyB = await endorse(net, ledger, put('guarded', 'v2'), { endorsers: [net.peers.B] });
        expect(await commitCodes(ledger, withoutB)).toEqual([Code.ENDORSEMENT_POLICY_FAILURE]);
        expect(await commitCodes(ledger, onlyB)).toEqual([Code.VALID]);
      });

      it('fails a write whose key policy was changed by an earlier transaction in the same block', async () => {
        await commitCodes(ledger, await endorse(net, ledger, put('k', 'v')));
        const policy = new KeyEndorsementPolicy();
        policy.addOrgs('MEMBER', 'AMSP', 'BMSP');
        const setPolicy = await endorse(net, ledger, (sim, ns) =>
          sim.setStateMetadata(ns, 'k', 'VALIDATION_PARAMETER', policy.getPolicy()),
        );
        const write = await endorse(net, ledger, put('k', 'w'));
        expect(await commitCodes(ledger, setPolicy, write)).toEqual([
          Code.VALID,
          Code.ENDORSEMENT_POLICY_FAILURE,
        ]);
      });

      it('removes the key-level policy when the key is deleted', async () => {
        const policy = new KeyEndorsementPolicy();
        policy.addOrgs('PEER', 'CMSP');
        await commitCodes(
          ledger,
          await endorse(net, ledger, async (sim, ns) => {
            await sim.putState(ns, 'g', Buffer.from('v'));
            await sim.setStateMetadata(ns, 'g', 'VALIDATION_PARAMETER', policy.getPolicy());
          }),
        );
        const del = await endorse(net, ledger, (sim, ns) => sim.deleteState(ns, 'g'), {
          endorsers: [net.peers.C],
        });
        expect(await commitCodes(ledger, del)).toEqual([Code.VALID]);
        const recreate = await endorse(net, ledger, put('g', 'again'));
        expect(await commitCodes(ledger, recreate)).toEqual([Code.VALID]);
      });

      it('governs a write to an implicit collection by its owner, not by the chaincode policy', async () => {
        const privateWrite = (endorsers: TestNetwork['peers'][keyof TestNetwork['peers']][]) =>
          endorse(
            net,
            ledger,
            (sim, ns) =>
              sim.putPrivateData(ns, '_implicit_org_AMSP', 'patient1', Buffer.from('{"name":"Ada"}')),
            { endorsers },
          );
        expect(await commitCodes(ledger, await privateWrite([net.peers.A]))).toEqual([Code.VALID]);
        expect(await commitCodes(ledger, await privateWrite([net.peers.A, net.peers.B]))).toEqual([
          Code.VALID,
        ]);
        expect(await commitCodes(ledger, await privateWrite([net.peers.B, net.peers.C]))).toEqual([
          Code.ENDORSEMENT_POLICY_FAILURE,
        ]);
      });

      it('marks a stale private read MVCC_READ_CONFLICT through the hashed read set', async () => {
        const coll = '_implicit_org_AMSP';
        const update = (value: string) =>
          endorse(
            net,
            ledger,
            async (sim, ns) => {
              await sim.getPrivateData(ns, coll, 'p');
              await sim.putPrivateData(ns, coll, 'p', Buffer.from(value));
            },
            { endorsers: [net.peers.A], endorserMspId: 'AMSP' },
          );
        expect(await commitCodes(ledger, await update('0'))).toEqual([Code.VALID]);
        const first = await update('1');
        const second = await update('2');
        expect(await commitCodes(ledger, first, second)).toEqual([Code.VALID, Code.MVCC_READ_CONFLICT]);
        const value = await ledger
          .newSimulator('read', { endorserMspId: 'AMSP' })
          .getPrivateData(CC, coll, 'p');
        expect(value?.toString()).toBe('1');
      });

      it('checks the chaincode policy for a read-only transaction', async () => {
        const readOnly = await endorse(net, ledger, async (sim, ns) => void (await sim.getState(ns, 'x')), {
          endorsers: [net.peers.C],
        });
        expect(await commitCodes(ledger, readOnly)).toEqual([Code.ENDORSEMENT_POLICY_FAILURE]);
      });
    });

    describe('signatures and structure', () => {
      it('marks an envelope whose signature does not verify BAD_CREATOR_SIGNATURE', async () => {
        const creator = { ...net.client, sign: (m: Buffer) => net.peers.A.sign(m) };
        const tx = await endorse(net, ledger, put('s', '1'), { creator });
        expect(await commitCodes(ledger, tx)).toEqual([Code.BAD_CREATOR_SIGNATURE]);
        expect(ledger.getTxStatus(tx.txId)).toBeUndefined();
      });

      it('marks an identity of an unknown organisation BAD_CREATOR_SIGNATURE', async () => {
        const stranger = await (
          await (await import('../testing/ledger-msp')).TestMsp.create(['XMSP'])
        ).issue('XMSP', 'client');
        const tx = await endorse(net, ledger, put('s', '1'), { creator: stranger });
        expect(await commitCodes(ledger, tx)).toEqual([Code.BAD_CREATOR_SIGNATURE]);
      });

      it('marks bytes that are not an envelope and an empty envelope with Fabric codes', async () => {
        const block = await ledger.commitBlock([Buffer.from([0xff, 0xff, 0xff]), Buffer.alloc(0)]);
        expect(block.transactions.map((t) => t.code)).toEqual([Code.INVALID_OTHER_REASON, Code.NIL_ENVELOPE]);
      });
    });

    it('reports the chaincode event of VALID transactions only', async () => {
      await commitCodes(ledger, await endorse(net, ledger, put('e', '0')));
      const event = { name: 'Changed', payload: Buffer.from('{"k":"e"}') };
      const a = await endorse(
        net,
        ledger,
        async (sim, ns) => {
          await sim.getState(ns, 'e');
          await sim.putState(ns, 'e', Buffer.from('1'));
        },
        { event },
      );
      const b = await endorse(
        net,
        ledger,
        async (sim, ns) => {
          await sim.getState(ns, 'e');
          await sim.putState(ns, 'e', Buffer.from('2'));
        },
        { event },
      );
      const block = await ledger.commitBlock([a.envelope, b.envelope]);
      expect(block.transactions[0]?.event).toEqual({
        chaincodeId: CC,
        eventName: 'Changed',
        payload: event.payload,
      });
      expect(block.transactions[1]?.event).toBeUndefined();
      expect((await ledger.getBlock(block.number))?.transactions).toEqual(block.transactions);
    });

    it('notifies block listeners after the commit', async () => {
      const seen: bigint[] = [];
      const stop = ledger.onBlock((b) => seen.push(b.number));
      await commitCodes(ledger, await endorse(net, ledger, put('n', '1')));
      stop();
      await commitCodes(ledger, await endorse(net, ledger, put('n', '2')));
      expect(seen).toEqual([1n]);
    });
  });
});
