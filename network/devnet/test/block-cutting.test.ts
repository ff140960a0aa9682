import type { Contract } from '@hyperledger/fabric-gateway';
import { sharedDevnet } from './support/shared-devnet';

/*
 * Blocks are cut as Fabric's orderer cuts them (BatchSize, BatchTimeout), so transactions that
 * arrive together share a block, and validation within that block decides as on Fabric.
 * A long batch timeout here makes "together" certain on a busy machine.
 */
// Long enough that a full batch committing "at once" is told apart from one waiting for the
// timeout even on a loaded machine (a full batch took up to about 600 ms under load there).
const BATCH_TIMEOUT_MS = 1500;
const devnet = sharedDevnet({
  batch: { size: 3, timeoutMs: BATCH_TIMEOUT_MS, preferredMaxBytes: 32_768, absoluteMaxBytes: 40_960 },
});

let contract: Contract;
beforeAll(async () => {
  const client = await devnet.connect('hospitala-doctor');
  contract = client.gateway.getNetwork(devnet.connection.channel).getContract(devnet.connection.chaincode);
});

describe('block cutting', () => {
  it('puts two concurrent read-modify-writes in one block, where the second fails MVCC_READ_CONFLICT', async () => {
    await contract.submitTransaction('put', 'counter', '0');
    const commits = await Promise.all(
      [1, 2].map(() => contract.submitAsync('increment', { arguments: ['counter'] })),
    );
    const statuses = await Promise.all(commits.map((c) => c.getStatus()));
    expect(new Set(statuses.map((s) => s.blockNumber)).size).toBe(1);
    expect(statuses.map((s) => s.code).sort()).toEqual([0, 11]);
  });

  it('fails a range read that races an insert into its range in the same block with PHANTOM_READ_CONFLICT', async () => {
    await contract.submitTransaction('put', 'race-b', 'x');
    // Both endorsed before either commits; the insert is submitted first, the range read well
    // within the batch timeout after it. (Submit answers once the block is written, so each
    // submit is awaited only together.)
    const insertTx = await contract.newProposal('put', { arguments: ['race-c', 'x'] }).endorse();
    const readerTx = await contract
      .newProposal('countRange', { arguments: ['race-a', 'race-z', 'race-count'] })
      .endorse();
    const insertSubmitted = insertTx.submit();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [insert, reader] = await Promise.all([insertSubmitted, readerTx.submit()]);
    const [inserted, read] = await Promise.all([insert.getStatus(), reader.getStatus()]);
    expect(read.blockNumber).toBe(inserted.blockNumber);
    expect([inserted.code, read.code]).toEqual([0, 12]);
  });

  it('cuts a lone transaction BatchTimeout after it, and a full batch at once', async () => {
    const started = Date.now();
    await contract.submitTransaction('put', 'lone', 'x');
    expect(Date.now() - started).toBeGreaterThanOrEqual(BATCH_TIMEOUT_MS - 50);
    const t0 = Date.now();
    const three = await Promise.all(
      ['f1', 'f2', 'f3'].map((k) => contract.submitAsync('put', { arguments: [k, 'x'] })),
    );
    const statuses = await Promise.all(three.map((c) => c.getStatus()));
    expect(new Set(statuses.map((s) => s.blockNumber)).size).toBe(1);
    expect(Date.now() - t0).toBeLessThan(BATCH_TIMEOUT_MS);
  });

  it('refuses a transaction past AbsoluteMaxBytes at Submit, in the words of Fabric', async () => {
    const err = (await contract
      .submitTransaction('put', 'huge', 'x'.repeat(20_000))
      .catch((e: unknown) => e)) as { code?: number; message?: string };
    expect(err.code).toBe(10); // ABORTED
    expect(err.message).toMatch(
      /received unsuccessful response from orderer: status=BAD_REQUEST, info=message payload is \d+ bytes and exceeds maximum allowed 40960 bytes$/,
    );
  });
});
