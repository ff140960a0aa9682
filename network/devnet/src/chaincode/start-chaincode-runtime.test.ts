import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { RwSetBuilder } from '../ledger/rwset-builder';
import type { TxSimulator } from '../ledger/tx-simulator';
import { InMemoryLedger } from '../testing/in-memory-ledger';
import { newTestInvocation } from '../testing/test-proposal';
import { namespaceWrites, type NamespaceWrites } from '../testing/write-set';
import type { ChaincodeResult, ChaincodeRuntime } from './chaincode-runtime';
import { ChaincodeProcess } from './chaincode-process';
import { startChaincodeRuntime } from './start-chaincode-runtime';
import { freePort } from './tcp-port';

jest.setTimeout(30_000);

const fixtures = join(__dirname, '..', '..', 'test', 'fixtures');
const probeDir = join(fixtures, 'probe-chaincode');
const logger = pino({ level: 'silent' });

/** The organisation of the test proposals' creator and of the endorsing peer. */
const ORG = 'Org1MSP';
const IMPLICIT = `_implicit_org_${ORG}`;

/** A ledger of organisations Org1MSP and Org2MSP, with what `build` commits first. */
async function ledgerWith(build: (writes: RwSetBuilder) => void = () => undefined): Promise<InMemoryLedger> {
  const ledger = new InMemoryLedger({ orgs: [ORG, 'Org2MSP'] });
  await ledger.seed(build);
  return ledger;
}

let txCount = 0;

/** A simulator of a new transaction on `ledger` (an empty one by default), endorsed at Org1MSP. */
function simulatorOn(ledger = new InMemoryLedger({ orgs: [ORG] }), endorserMspId = ORG): TxSimulator {
  txCount += 1;
  return ledger.newSimulator(`tx${txCount}`, { endorserMspId });
}

async function run(
  runtime: ChaincodeRuntime,
  args: string[],
  simulator: TxSimulator = simulatorOn(),
  extra: { transient?: Record<string, Buffer>; timestamp?: { seconds: number; nanos: number } } = {},
): Promise<ChaincodeResult> {
  return runtime.invoke(await newTestInvocation({ chaincodeName: runtime.name, args, simulator, ...extra }));
}

async function ok(runtime: ChaincodeRuntime, args: string[], simulator?: TxSimulator): Promise<string> {
  const result = await run(runtime, args, simulator);
  expect({ status: result.status, message: result.message }).toEqual({ status: 200, message: '' });
  return result.payload.toString('utf8');
}

/** Runs one transaction on `ledger` (it must succeed) and decodes what it wrote to `namespace`. */
async function written(
  runtime: ChaincodeRuntime,
  args: string[],
  ledger: InMemoryLedger,
  extra: { transient?: Record<string, Buffer>; namespace?: string } = {},
): Promise<{ payload: string; writes: NamespaceWrites }> {
  txCount += 1;
  const txId = `tx${txCount}`;
  const simulator = ledger.newSimulator(txId, { endorserMspId: ORG });
  const result = await run(runtime, args, simulator, extra);
  expect({ status: result.status, message: result.message }).toEqual({ status: 200, message: '' });
  const writes = namespaceWrites(extra.namespace ?? 'probe', simulator.done(), ledger.privateWriteSet(txId));
  return { payload: result.payload.toString('utf8'), writes };
}

describe('startChaincodeRuntime with fabric-chaincode-node server', () => {
  describe('a running probe chaincode', () => {
    let probe: ChaincodeRuntime;
    let other: ChaincodeRuntime;

    beforeAll(async () => {
      [probe, other] = await Promise.all([
        startChaincodeRuntime({
          name: 'probe',
          version: '1.0',
          chaincodeDir: probeDir,
          logger,
          resolveChaincode: (name) => (name === 'other' ? other : undefined),
        }),
        startChaincodeRuntime({ name: 'other', version: '1.0', chaincodeDir: probeDir, logger }),
      ]);
    });

    afterAll(async () => {
      await Promise.all([probe?.close(), other?.close()]);
    });

    it('gives the chaincode its invocation context: creator, txid, channel, timestamp, transient', async () => {
      const inv = await newTestInvocation({
        chaincodeName: 'probe',
        args: ['context'],
        simulator: simulatorOn(),
        channelId: 'healthchannel',
        transient: { secret: Buffer.from('x') },
        timestamp: { seconds: 1_700_000_000, nanos: 0 },
        mspId: 'HospitalAMSP',
      });
      const result = await probe.invoke(inv);
      expect(JSON.parse(result.payload.toString())).toEqual({
        mspId: 'HospitalAMSP',
        txId: inv.txId,
        channelId: 'healthchannel',
        seconds: 1_700_000_000,
        transientKeys: ['secret'],
      });
    });

    it('puts and gets through the simulator, with no read-your-writes', async () => {
      const ledger = await ledgerWith((w) => w.addWrite('probe', 'a', Buffer.from('committed')));
      const existing = await written(probe, ['putThenGet', 'a', 'new'], ledger);
      const fresh = await written(probe, ['putThenGet', 'fresh', 'new'], ledger);
      const deleted = await written(probe, ['del', 'a'], ledger);
      expect([existing.payload, fresh.payload]).toEqual(['committed', '']);
      expect([existing, fresh, deleted].map((tx) => [...tx.writes.state])).toEqual([
        [['a', { kind: 'put', value: Buffer.from('new') }]],
        [['fresh', { kind: 'put', value: Buffer.from('new') }]],
        [['a', { kind: 'delete' }]],
      ]);
    });

    it('iterates a range of more than 100 keys across batches, in byte order', async () => {
      const ledger = await ledgerWith((w) => {
        for (let i = 0; i < 205; i++)
          w.addWrite('probe', `k${String(i).padStart(3, '0')}`, Buffer.from(`v${i}`));
        w.addWrite('probe', 'k\u{1F600}', Buffer.from('astral'));
        w.addWrite('probe', 'k\uFFFD', Buffer.from('bmp'));
      });
      const keys = JSON.parse(await ok(probe, ['range', 'k', 'l'], simulatorOn(ledger))) as string[];
      expect(keys).toHaveLength(207);
      expect(keys.slice(0, 2)).toEqual(['k000=v0', 'k001=v1']);
      expect(keys.slice(-3)).toEqual(['k204=v204', 'k\uFFFD=bmp', 'k\u{1F600}=astral']);
      expect(ledger.state.openIterators).toBe(0);
    });

    it('closes an iterator the chaincode left open when the transaction completes', async () => {
      const ledger = await ledgerWith((w) => {
        for (let i = 0; i < 150; i++) w.addWrite('probe', `k${String(i).padStart(3, '0')}`, Buffer.from('v'));
      });
      expect(await ok(probe, ['rangeFirst', '', ''], simulatorOn(ledger))).toBe('k000');
      expect(ledger.state.openIterators).toBe(0);
    });

    it('pages a range with bookmarks (25 keys, page size 10)', async () => {
      const ledger = await ledgerWith((w) => {
        for (let i = 0; i < 25; i++) w.addWrite('probe', `p${String(i).padStart(2, '0')}`, Buffer.from('v'));
      });
      const pages: { keys: string[]; bookmark: string; fetchedRecordsCount: number }[] = [];
      let bookmark = '';
      do {
        const page = JSON.parse(
          await ok(probe, ['page', 'p', 'q', '10', bookmark], simulatorOn(ledger)),
        ) as (typeof pages)[number];
        pages.push(page);
        bookmark = page.bookmark;
      } while (bookmark !== '' && pages.length < 5);
      expect(pages.map((p) => [p.keys.length, p.fetchedRecordsCount, p.bookmark])).toEqual([
        [10, 10, 'p10'],
        [10, 10, 'p20'],
        [5, 5, ''],
      ]);
      expect(pages[1]!.keys[0]).toBe('p10');
    });

    it('returns history newest first, each entry with its timestamp', async () => {
      const ledger = await ledgerWith();
      for (const [txId, value, seconds] of [
        ['t1', 'one', 10],
        ['t2', 'two', 20],
        ['t3', '', 30],
      ] as const) {
        await ledger.seed((w) => w.addWrite('probe', 'h', Buffer.from(value)), {
          txId,
          timestamp: { seconds, nanos: seconds / 10 },
        });
      }
      expect(JSON.parse(await ok(probe, ['history', 'h'], simulatorOn(ledger)))).toEqual([
        { txId: 't3', value: '', isDelete: true, seconds: 30, nanos: 3 },
        { txId: 't2', value: 'two', isDelete: false, seconds: 20, nanos: 2 },
        { txId: 't1', value: 'one', isDelete: false, seconds: 10, nanos: 1 },
      ]);
    });

    it('writes private data from transient input and reads values, hashes and ranges', async () => {
      const ledger = await ledgerWith((w) => {
        w.addPrivateWrite('probe', IMPLICIT, 'p1', Buffer.from('private-one'));
        w.addPrivateWrite('probe', IMPLICIT, 'p2', Buffer.from('x'));
      });
      const put = await written(probe, ['putPrivate', IMPLICIT, 'new'], ledger, {
        transient: { value: Buffer.from('v') },
      });
      expect(await ok(probe, ['getPrivate', IMPLICIT, 'p1'], simulatorOn(ledger))).toBe('private-one');
      expect(await ok(probe, ['getPrivateHash', IMPLICIT, 'p1'], simulatorOn(ledger))).toBe(
        createHash('sha256').update('private-one').digest('hex'),
      );
      expect(JSON.parse(await ok(probe, ['privateRange', IMPLICIT, 'p', 'q'], simulatorOn(ledger)))).toEqual([
        'p1',
        'p2',
      ]);
      const deleted = await written(probe, ['delPrivate', IMPLICIT, 'p2'], ledger);
      const purged = await written(probe, ['purgePrivate', IMPLICIT, 'p1'], ledger);
      expect([put, deleted, purged].map((tx) => [...(tx.writes.privateData.get(IMPLICIT) ?? [])])).toEqual([
        [['new', { kind: 'put', value: Buffer.from('v') }]],
        [['p2', { kind: 'delete' }]],
        [['p1', { kind: 'purge' }]],
      ]);
    });

    it('sets and reads key-level endorsement policies as state metadata', async () => {
      const ledger = await ledgerWith((w) => {
        w.addWrite('probe', 'k', Buffer.from('v'));
        w.addMetadataWrite('probe', 'k', new Map([['VALIDATION_PARAMETER', Buffer.from('old-policy')]]));
      });
      expect(await ok(probe, ['getPolicy', 'k'], simulatorOn(ledger))).toBe('old-policy');
      const policy = new Map([['VALIDATION_PARAMETER', Buffer.from('new-policy')]]);
      const set = await written(probe, ['setPolicy', 'k', 'new-policy'], ledger);
      expect([...set.writes.metadata]).toEqual([['k', policy]]);
      const setPrivate = await written(probe, ['setPrivatePolicy', IMPLICIT, 'pk', 'pvt-policy'], ledger);
      expect([...(setPrivate.writes.privateMetadata.get(IMPLICIT) ?? [])]).toEqual([
        ['pk', new Map([['VALIDATION_PARAMETER', Buffer.from('pvt-policy')]])],
      ]);
    });

    it('returns the chaincode event with the result', async () => {
      const result = await run(probe, ['emit', 'VitalRecorded', '{"id":1}']);
      expect(result).toEqual({
        status: 200,
        message: '',
        payload: Buffer.from('emitted'),
        event: { eventName: 'VitalRecorded', payload: Buffer.from('{"id":1}') },
      });
    });

    it('returns a thrown chaincode error as status 500 with its message', async () => {
      const result = await run(probe, ['fail', 'CONFLICT: reading r1 exists']);
      expect([result.status, result.message]).toEqual([500, 'CONFLICT: reading r1 exists']);
    });

    it('hands the shim Fabric-worded errors: simulator failures and rich queries', async () => {
      // Org2MSP's value, read at a peer of Org1MSP: only its hash is there.
      const ledger = await ledgerWith((w) =>
        w.addPrivateWrite('probe', '_implicit_org_Org2MSP', 'a', Buffer.from('b')),
      );
      const inv = await newTestInvocation({
        chaincodeName: 'probe',
        args: ['getPrivate', '_implicit_org_Org2MSP', 'a'],
        simulator: simulatorOn(ledger),
      });
      const failed = await probe.invoke(inv);
      expect([failed.status, failed.message]).toEqual([
        500,
        `GET_STATE failed: transaction ID: ${inv.txId}: private data matching public hash version is not available. ` +
          'Public hash version = {BlockNum: 1, TxNum: 0}, Private data version = <nil>',
      ]);
      const rich = await newTestInvocation({
        chaincodeName: 'probe',
        args: ['richQuery', '{}'],
        simulator: simulatorOn(ledger),
      });
      expect((await probe.invoke(rich)).message).toBe(
        `GET_QUERY_RESULT failed: transaction ID: ${rich.txId}: ExecuteQuery not supported for leveldb`,
      );
    });

    it('throws "transaction returned with failure" when the shim cannot build its stub', async () => {
      const inv = await newTestInvocation({
        chaincodeName: 'probe',
        args: ['get', 'a'],
        simulator: simulatorOn(),
      });
      await expect(probe.invoke({ ...inv, signedProposal: Buffer.alloc(0) })).rejects.toThrow(
        'transaction returned with failure: Error: Proposal header is empty',
      );
    });

    it('calls another chaincode on the same channel with the same simulator, under its namespace', async () => {
      const ledger = await ledgerWith((w) => w.addWrite('other', 'x', Buffer.from('from-other')));
      expect(JSON.parse(await ok(probe, ['callOther', 'other', '["get","x"]'], simulatorOn(ledger)))).toEqual(
        {
          status: 200,
          payload: 'from-other',
        },
      );
      const put = await written(probe, ['callOther', 'other', '["put","y","Y"]'], ledger, {
        namespace: 'other',
      });
      expect([...put.writes.state]).toEqual([['y', { kind: 'put', value: Buffer.from('Y') }]]);
      const missing = await run(probe, ['callOther', 'nobody', '["get","x"]'], simulatorOn(ledger));
      expect(missing.status).toBe(500);
      expect(missing.message).toMatch(/make sure the chaincode nobody has been successfully defined/);
    });

    it('runs concurrent transactions independently', async () => {
      const ledgers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          ledgerWith((w) => w.addWrite('probe', 'k', Buffer.from(`v${i}`))),
        ),
      );
      const values = await Promise.all(ledgers.map((ledger) => ok(probe, ['get', 'k'], simulatorOn(ledger))));
      expect(values).toEqual(ledgers.map((_, i) => `v${i}`));
    });
  });

  describe('lifecycle', () => {
    it('times out a slow transaction and keeps serving others', async () => {
      const runtime = await startChaincodeRuntime({
        name: 'probe',
        version: '1',
        chaincodeDir: probeDir,
        logger,
        executeTimeoutMs: 300,
      });
      try {
        await expect(run(runtime, ['sleep', '1500'])).rejects.toThrow(
          'timeout expired while executing transaction',
        );
        const ledger = await ledgerWith((w) => w.addWrite('probe', 'k', Buffer.from('still-here')));
        expect(await ok(runtime, ['get', 'k'], simulatorOn(ledger))).toBe('still-here');
      } finally {
        await runtime.close();
      }
    });

    it('reports "chaincode stream terminated" when the chaincode crashes, then why it is unavailable', async () => {
      const runtime = await startChaincodeRuntime({
        name: 'probe',
        version: '1',
        chaincodeDir: probeDir,
        logger,
      });
      try {
        const slow = run(runtime, ['sleep', '5000']);
        await expect(run(runtime, ['crash'])).rejects.toThrow('chaincode stream terminated');
        await expect(slow).rejects.toThrow('chaincode stream terminated');
        await expect(run(runtime, ['get', 'k'])).rejects.toThrow(
          /chaincode probe is not available at 127\.0\.0\.1:\d+: chaincode process exited with code 3/,
        );
      } finally {
        await runtime.close();
      }
    });

    it('stops the process on close and refuses invocations afterwards', async () => {
      const lines: string[] = [];
      const capture = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
      const runtime = await startChaincodeRuntime({
        name: 'probe',
        version: '1',
        chaincodeDir: probeDir,
        logger: capture,
      });
      const started = lines.map((l) => JSON.parse(l) as { msg: string; pid?: number; chaincode?: string });
      const pid = started.find((l) => l.msg === 'chaincode started')?.pid;
      expect(started.find((l) => l.msg === 'chaincode started')?.chaincode).toBe('probe');
      expect(typeof pid).toBe('number');
      await runtime.close();
      expect(() => process.kill(pid as number, 0)).toThrow();
      await expect(run(runtime, ['get', 'k'])).rejects.toThrow('chaincode probe runtime is closed');
    });

    it('connects to an already running chaincode server and leaves it running on close', async () => {
      const address = `127.0.0.1:${await freePort('127.0.0.1')}`;
      const server = ChaincodeProcess.spawn({
        chaincodeDir: probeDir,
        address,
        chaincodeId: 'ext:1',
        logger,
      });
      try {
        const runtime = await startChaincodeRuntime({ name: 'probe', version: '1', address, logger });
        const ledger = await ledgerWith((w) => w.addWrite('probe', 'k', Buffer.from('external')));
        expect(await ok(runtime, ['get', 'k'], simulatorOn(ledger))).toBe('external');
        await runtime.close();
        expect(server.exit).toBeUndefined();
      } finally {
        await server.stop(2000);
      }
    });

    it('reports an early exit with the chaincode’s last output', async () => {
      await expect(
        startChaincodeRuntime({
          name: 'broken',
          version: '1',
          chaincodeDir: join(fixtures, 'broken-chaincode'),
          logger,
        }),
      ).rejects.toThrow(
        /chaincode process exited with code 1; last output:[\s\S]*broken-chaincode refuses to load/,
      );
    });

    it('refuses an unbuilt chaincode directory before spawning', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'unbuilt-cc-'));
      try {
        writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', main: 'dist/index.js' }));
        await expect(
          startChaincodeRuntime({ name: 'x', version: '1', chaincodeDir: dir, logger }),
        ).rejects.toThrow(/chaincode entry .*dist\/index\.js does not exist: build the chaincode first/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
