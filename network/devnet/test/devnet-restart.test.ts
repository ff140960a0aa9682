import { join } from 'node:path';
import pino from 'pino';
import { openLedger } from '../src/ledger';
import { connectAs, removeDir, startTestDevnet, utf8, type TestDevnet } from './support/fabric-client';
import { fileCryptoProvider } from '../src/file-crypto-provider';

const CHANNEL = 'healthchannel';

/** Reads the stored blocks of a stopped devnet: txId → [block, code] of every copy. */
async function storedTransactions(dataDir: string): Promise<Map<string, [bigint, number][]>> {
  const crypto = await fileCryptoProvider(dataDir, [
    { mspId: 'HospitalAMSP', type: 'hospital' },
    { mspId: 'HospitalBMSP', type: 'hospital' },
    { mspId: 'LabMSP', type: 'lab' },
    { mspId: 'PharmacyMSP', type: 'pharmacy' },
  ]);
  const ledger = await openLedger({
    dataDir: join(dataDir, 'ledger'),
    channelId: CHANNEL,
    msp: crypto.registry,
    chaincodes: [{ name: 'basic', version: '1.0', policy: 'MAJORITY' }],
    logger: pino({ level: 'silent' }),
  });
  const copies = new Map<string, [bigint, number][]>();
  try {
    for (let n = 0n; n < ledger.height(); n += 1n) {
      for (const tx of (await ledger.getBlock(n))?.transactions ?? []) {
        copies.set(tx.txId, [...(copies.get(tx.txId) ?? []), [n, tx.code]]);
      }
    }
  } finally {
    await ledger.close();
  }
  return copies;
}

describe('devnet persistence', () => {
  let devnet: TestDevnet | undefined;
  let dataDir: string;

  afterAll(async () => {
    await devnet?.stop();
    await removeDir(dataDir);
  });

  it('keeps committed data, duplicates marked and events across a restart, and refuses a second instance', async () => {
    devnet = await startTestDevnet();
    dataDir = devnet.dataDir;
    let client = await connectAs(devnet.connection, 'hospitala-nurse');
    let contract = client.gateway.getNetwork(CHANNEL).getContract('basic');
    await contract.submitTransaction('putWithEvent', 'kept', 'before-restart', 'saved');
    const tx = await contract.newProposal('put', { arguments: ['dup', 'v'] }).endorse();
    const firstStatus = await (await tx.submit()).getStatus();
    await (await tx.submit()).getStatus();
    // The second copy commits in a later block; wait for one more block to be sure it is there.
    await contract.submitTransaction('put', 'after-dup', 'v');

    await expect(startTestDevnet({ dataDir })).rejects.toThrow(/already in use by another devnet process/);
    client.close();
    await devnet.stop();
    devnet = undefined;

    const copies = await storedTransactions(dataDir);
    const dupCopies = copies.get(tx.getTransactionId()) ?? [];
    expect(dupCopies.map(([, code]) => code)).toEqual([0, 9]);
    expect(dupCopies[0]?.[0]).toBe(firstStatus.blockNumber);
    expect(dupCopies[1]![0]).toBeGreaterThan(firstStatus.blockNumber);

    devnet = await startTestDevnet({ dataDir });
    client = await connectAs(devnet.connection, 'hospitala-nurse');
    contract = client.gateway.getNetwork(CHANNEL).getContract('basic');
    expect(utf8(await contract.evaluateTransaction('get', 'kept'))).toBe('before-restart');
    const events = await client.gateway.getNetwork(CHANNEL).getChaincodeEvents('basic', { startBlock: 0n });
    const first = await events[Symbol.asyncIterator]().next();
    events.close();
    expect(first.value).toMatchObject({ eventName: 'saved' });
    const status = await (await contract.submitAsync('put', { arguments: ['later', 'v'] })).getStatus();
    expect(status.blockNumber).toBeGreaterThan(dupCopies[1]![0]);
    client.close();
  }, 60_000);

  it('starts consistently after being killed while committing', async () => {
    await devnet?.stop();
    devnet = await startTestDevnet({ dataDir });
    const client = await connectAs(devnet.connection, 'lab-technician');
    const contract = client.gateway.getNetwork(CHANNEL).getContract('basic');
    const committed: string[] = [];
    const load = Array.from({ length: 40 }, async (_, i) => {
      const commit = await contract.submitAsync('put', { arguments: [`load-${i}`, `v${i}`] });
      if ((await commit.getStatus()).successful) committed.push(`load-${i}`);
    });
    // Observe every outcome at once: submits cut off by the kill reject, and that is expected.
    const settled = Promise.allSettled(load);
    await new Promise((resolve) => setTimeout(resolve, 150));
    await devnet.kill();
    await settled;
    client.close();

    devnet = await startTestDevnet({ dataDir });
    const again = await connectAs(devnet.connection, 'lab-technician');
    const reader = again.gateway.getNetwork(CHANNEL).getContract('basic');
    for (const key of committed) expect(utf8(await reader.evaluateTransaction('get', key))).toMatch(/^v\d+$/);
    expect(utf8(await reader.submitTransaction('put', 'after-crash', 'ok'))).toBe('ok');
    again.close();
  }, 60_000);
});
