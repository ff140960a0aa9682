import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Contract } from '@hyperledger/fabric-gateway';
import { fillDisk, mountSmallDisk, unmountSmallDisk } from '@careledger/fabric-toolkit';
import pino from 'pino';
import { startDevnet, type Devnet } from '../src/devnet';
import { fileCryptoProvider } from '../src/file-crypto-provider';
import { connectAs, gatewayChaincodeDir, type ConnectedClient } from './support/fabric-client';

/*
 * A full disk, for real: the devnet's data directory is a small tmpfs, filled up by a file beside
 * the ledger. Mounting needs root (CI runs as root); without it this suite fails saying so.
 */
const MOUNT_MB = 64;
const mountPoint = mkdtempSync(join(tmpdir(), 'devnet-disk-full-'));
const dataDir = join(mountPoint, 'devnet');
const logger = pino({ level: 'silent' });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const start = (): Promise<Devnet> =>
  startDevnet({
    dataDir,
    port: 0,
    crypto: fileCryptoProvider,
    organisations: [{ mspId: 'Org1MSP', type: 'member', users: [{ name: 'alice', role: 'client' }] }],
    chaincodes: [{ name: 'basic', dir: gatewayChaincodeDir, policy: 'ANY' }],
    logger,
  });

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}

let devnet: Devnet | undefined;
let client: ConnectedClient | undefined;
let contract: Contract;

beforeAll(async () => {
  const problem = mountSmallDisk(mountPoint, MOUNT_MB);
  if (problem !== undefined) throw new Error(`this suite fills a real disk: ${problem}`);
  devnet = await start();
  client = await connectAs(devnet.connection, devnet.connection.organisations[0]!.identities[0]!.name);
  contract = client.gateway.getNetwork(devnet.connection.channel).getContract('basic');
}, 60_000);

afterAll(async () => {
  client?.close();
  await devnet?.stop();
  unmountSmallDisk(mountPoint);
  rmSync(mountPoint, { recursive: true, force: true });
});

describe('a full disk', () => {
  it('stops writes at once, loses nothing it acknowledged, and recovers by itself when space is freed', async () => {
    const net = devnet!;
    await contract.submitTransaction('put', 'before', 'x');
    const filler = fillDisk(mountPoint);

    // Submit until the ledger notices that it cannot write. What Submit acknowledged is written.
    const acknowledged: string[] = [];
    const held: string[] = [];
    let refused: { code?: number; details?: { message: string }[]; message?: string } | undefined;
    for (let i = 0; i < 200 && refused === undefined; i += 1) {
      const key = `during-${i}`;
      try {
        const commit = await contract.submitAsync('put', { arguments: [key, 'v'.repeat(2000)] });
        acknowledged.push(key);
        await commit.getStatus();
      } catch (err) {
        const e = err as { code?: number; details?: { message: string }[]; message?: string };
        if (e.code === 4) {
          // The client's deadline passed while its block waits for the disk: not acknowledged.
          held.push(key);
          continue;
        }
        refused = e;
      }
    }
    expect(refused).toBeDefined();
    expect(refused?.code).toBe(14); // UNAVAILABLE
    expect(net.health()).toMatchObject({
      status: 'Service Unavailable',
      failedChecks: [{ component: 'ledger', reason: expect.stringContaining('blocks cannot be written') }],
    });

    // While the disk stays full, Submit is refused at once, in the orderer's words; reads still work.
    const t0 = Date.now();
    const again = (await contract.submitTransaction('put', 'refused', 'x').catch((e: unknown) => e)) as {
      code?: number;
      details?: { message: string }[];
    };
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(again.code).toBe(14);
    expect(again.details?.[0]?.message).toMatch(
      /^status=SERVICE_UNAVAILABLE, info=the ledger cannot write blocks \(.*\); new transactions are refused until it can$/,
    );
    expect(Buffer.from(await contract.evaluateTransaction('get', 'before')).toString()).toBe('x');

    // Space is freed: the network writes again without a restart.
    rmSync(filler);
    await waitFor(() => net.health().status === 'OK', 15_000);
    await contract.submitTransaction('put', 'after', 'y');
    for (const key of acknowledged) {
      expect(Buffer.from(await contract.evaluateTransaction('get', key)).toString()).toBe('v'.repeat(2000));
    }
    expect(Buffer.from(await contract.evaluateTransaction('get', 'after')).toString()).toBe('y');
    // A transaction whose block was waiting for the disk (its client gave up) is written too.
    for (const key of held) {
      expect(Buffer.from(await contract.evaluateTransaction('get', key)).toString()).toBe('v'.repeat(2000));
    }

    // And what was acknowledged survives a restart of the network on the same directory.
    client!.close();
    await net.stop();
    devnet = await start();
    client = await connectAs(devnet.connection, devnet.connection.organisations[0]!.identities[0]!.name);
    contract = client.gateway.getNetwork(devnet.connection.channel).getContract('basic');
    for (const key of [...acknowledged, ...held, 'before', 'after']) {
      expect(Buffer.from(await contract.evaluateTransaction('get', key)).length).toBeGreaterThan(0);
    }
  }, 120_000);
});
