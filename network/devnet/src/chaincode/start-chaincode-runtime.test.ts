import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { FakeTxSimulator } from '../testing/fake-tx-simulator';
import { newTestInvocation } from '../testing/test-proposal';
import type { ChaincodeResult, ChaincodeRuntime } from './chaincode-runtime';
import { ChaincodeProcess } from './chaincode-process';
import { startChaincodeRuntime } from './start-chaincode-runtime';
import { freePort } from './tcp-port';

jest.setTimeout(30_000);

const fixtures = join(__dirname, '..', '..', 'test', 'fixtures');
const probeDir = join(fixtures, 'probe-chaincode');
const logger = pino({ level: 'silent' });

async function run(
  runtime: ChaincodeRuntime,
  args: string[],
  simulator = new FakeTxSimulator(),
  extra: { transient?: Record<string, Buffer>; timestamp?: { seconds: number; nanos: number } } = {},
): Promise<ChaincodeResult> {
  return runtime.invoke(await newTestInvocation({ chaincodeName: runtime.name, args, simulator, ...extra }));
}

async function ok(
  runtime: ChaincodeRuntime,
  args: string[],
  simulator = new FakeTxSimulator(),
): Promise<string> {
  const result = await run(runtime, args, simulator);
  expect({ status: result.status, message: result.message }).toEqual({ status: 200, message: '' });
  return result.payload.toString('utf8');
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
      const sim = new FakeTxSimulator();
      const inv = await newTestInvocation({
        chaincodeName: 'probe',
        args: ['context'],
        simulator: sim,
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
      const sim = new FakeTxSimulator().seed('probe', 'a', 'committed');
      expect(await ok(probe, ['putThenGet', 'a', 'new'], sim)).toBe('committed');
      expect(await ok(probe, ['putThenGet', 'fresh', 'new'], sim)).toBe('');
      await ok(probe, ['del', 'a'], sim);
      expect(sim.writes).toEqual([
        { namespace: 'probe', key: 'a', kind: 'put', value: Buffer.from('new') },
        { namespace: 'probe', key: 'fresh', kind: 'put', value: Buffer.from('new') },
        { namespace: 'probe', key: 'a', kind: 'delete' },
      ]);
    });

    it('iterates a range of more than 100 keys across batches, in byte order', async () => {
      const sim = new FakeTxSimulator();
      for (let i = 0; i < 205; i++) sim.seed('probe', `k${String(i).padStart(3, '0')}`, `v${i}`);
      sim.seed('probe', 'k\u{1F600}', 'astral').seed('probe', 'k\uFFFD', 'bmp');
      const keys = JSON.parse(await ok(probe, ['range', 'k', 'l'], sim)) as string[];
      expect(keys).toHaveLength(207);
      expect(keys.slice(0, 2)).toEqual(['k000=v0', 'k001=v1']);
      expect(keys.slice(-3)).toEqual(['k204=v204', 'k\uFFFD=bmp', 'k\u{1F600}=astral']);
      expect(sim.iteratorsClosed).toBe(sim.iteratorsOpened);
    });

    it('closes an iterator the chaincode left open when the transaction completes', async () => {
      const sim = new FakeTxSimulator();
      for (let i = 0; i < 150; i++) sim.seed('probe', `k${String(i).padStart(3, '0')}`, 'v');
      expect(await ok(probe, ['rangeFirst', '', ''], sim)).toBe('k000');
      expect([sim.iteratorsOpened, sim.iteratorsClosed]).toEqual([1, 1]);
    });

    it('pages a range with bookmarks (25 keys, page size 10)', async () => {
      const sim = new FakeTxSimulator();
      for (let i = 0; i < 25; i++) sim.seed('probe', `p${String(i).padStart(2, '0')}`, 'v');
      const pages: { keys: string[]; bookmark: string; fetchedRecordsCount: number }[] = [];
      let bookmark = '';
      do {
        const page = JSON.parse(
          await ok(probe, ['page', 'p', 'q', '10', bookmark], sim),
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
      const sim = new FakeTxSimulator().seedHistory('probe', 'h', [
        { txId: 't3', value: Buffer.alloc(0), isDelete: true, timestamp: { seconds: 30, nanos: 3 } },
        { txId: 't2', value: Buffer.from('two'), isDelete: false, timestamp: { seconds: 20, nanos: 2 } },
        { txId: 't1', value: Buffer.from('one'), isDelete: false, timestamp: { seconds: 10, nanos: 1 } },
      ]);
      expect(JSON.parse(await ok(probe, ['history', 'h'], sim))).toEqual([
        { txId: 't3', value: '', isDelete: true, seconds: 30, nanos: 3 },
        { txId: 't2', value: 'two', isDelete: false, seconds: 20, nanos: 2 },
        { txId: 't1', value: 'one', isDelete: false, seconds: 10, nanos: 1 },
      ]);
    });

    it('writes private data from transient input and reads values, hashes and ranges', async () => {
      const sim = new FakeTxSimulator()
        .seed('probe', 'p1', 'private-one', 'coll')
        .seed('probe', 'p2', 'x', 'coll');
      const put = await run(probe, ['putPrivate', 'coll', 'new'], sim, {
        transient: { value: Buffer.from('v') },
      });
      expect(put.status).toBe(200);
      expect(await ok(probe, ['getPrivate', 'coll', 'p1'], sim)).toBe('private-one');
      expect(await ok(probe, ['getPrivateHash', 'coll', 'p1'], sim)).toBe(
        createHash('sha256').update('private-one').digest('hex'),
      );
      expect(JSON.parse(await ok(probe, ['privateRange', 'coll', 'p', 'q'], sim))).toEqual(['p1', 'p2']);
      await ok(probe, ['delPrivate', 'coll', 'p2'], sim);
      await ok(probe, ['purgePrivate', 'coll', 'p1'], sim);
      expect(sim.writes).toEqual([
        { namespace: 'probe', collection: 'coll', key: 'new', kind: 'put', value: Buffer.from('v') },
        { namespace: 'probe', collection: 'coll', key: 'p2', kind: 'delete' },
        { namespace: 'probe', collection: 'coll', key: 'p1', kind: 'purge' },
      ]);
    });

    it('sets and reads key-level endorsement policies as state metadata', async () => {
      const sim = new FakeTxSimulator().seedMetadata(
        'probe',
        'k',
        'VALIDATION_PARAMETER',
        Buffer.from('old-policy'),
      );
      expect(await ok(probe, ['getPolicy', 'k'], sim)).toBe('old-policy');
      await ok(probe, ['setPolicy', 'k', 'new-policy'], sim);
      await ok(probe, ['setPrivatePolicy', 'coll', 'pk', 'pvt-policy'], sim);
      expect(sim.metadataWrites).toEqual([
        { namespace: 'probe', key: 'k', name: 'VALIDATION_PARAMETER', value: Buffer.from('new-policy') },
        {
          namespace: 'probe',
          collection: 'coll',
          key: 'pk',
          name: 'VALIDATION_PARAMETER',
          value: Buffer.from('pvt-policy'),
        },
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
      const sim = new FakeTxSimulator().failOn(
        'getState',
        'private data matching public hash version is not available',
      );
      const inv = await newTestInvocation({ chaincodeName: 'probe', args: ['get', 'a'], simulator: sim });
      const failed = await probe.invoke(inv);
      expect([failed.status, failed.message]).toEqual([
        500,
        `GET_STATE failed: transaction ID: ${inv.txId}: private data matching public hash version is not available`,
      ]);
      const rich = await newTestInvocation({
        chaincodeName: 'probe',
        args: ['richQuery', '{}'],
        simulator: sim,
      });
      expect((await probe.invoke(rich)).message).toBe(
        `GET_QUERY_RESULT failed: transaction ID: ${rich.txId}: ExecuteQuery not supported for leveldb`,
      );
    });

    it('throws "transaction returned with failure" when the shim cannot build its stub', async () => {
      const inv = await newTestInvocation({
        chaincodeName: 'probe',
        args: ['get', 'a'],
        simulator: new FakeTxSimulator(),
      });
      await expect(probe.invoke({ ...inv, signedProposal: Buffer.alloc(0) })).rejects.toThrow(
        'transaction returned with failure: Error: Proposal header is empty',
      );
    });

    it('calls another chaincode on the same channel with the same simulator, under its namespace', async () => {
      const sim = new FakeTxSimulator().seed('other', 'x', 'from-other');
      expect(JSON.parse(await ok(probe, ['callOther', 'other', '["get","x"]'], sim))).toEqual({
        status: 200,
        payload: 'from-other',
      });
      await ok(probe, ['callOther', 'other', '["put","y","Y"]'], sim);
      expect(sim.writes).toEqual([{ namespace: 'other', key: 'y', kind: 'put', value: Buffer.from('Y') }]);
      const missing = await run(probe, ['callOther', 'nobody', '["get","x"]'], sim);
      expect(missing.status).toBe(500);
      expect(missing.message).toMatch(/make sure the chaincode nobody has been successfully defined/);
    });

    it('runs concurrent transactions independently', async () => {
      const sims = Array.from({ length: 50 }, (_, i) => new FakeTxSimulator().seed('probe', 'k', `v${i}`));
      const values = await Promise.all(sims.map((sim) => ok(probe, ['get', 'k'], sim)));
      expect(values).toEqual(sims.map((_, i) => `v${i}`));
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
        expect(await ok(runtime, ['get', 'k'], new FakeTxSimulator().seed('probe', 'k', 'still-here'))).toBe(
          'still-here',
        );
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
        expect(await ok(runtime, ['get', 'k'], new FakeTxSimulator().seed('probe', 'k', 'external'))).toBe(
          'external',
        );
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
