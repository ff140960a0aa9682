import { mkdtempSync, rmSync } from 'node:fs';
import { ClassicLevel } from 'classic-level';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { openLedger, type DevnetLedger, type LedgerOptions } from '../ledger/level-ledger';
import type { TxSimulator } from '../ledger/tx-simulator';
import { endorseTransaction, type EndorseOptions } from './ledger-fixtures';
import { TestMsp, type TestIdentity } from './ledger-msp';

export const CHANNEL = 'healthchannel';
export const CC = 'basic';

/** Three organisations with a peer and a client each, shared by a test file. */
export interface TestNetwork {
  readonly msp: TestMsp;
  readonly peers: Readonly<Record<'A' | 'B' | 'C', TestIdentity>>;
  readonly client: TestIdentity;
}

export async function createTestNetwork(): Promise<TestNetwork> {
  const msp = await TestMsp.create(['AMSP', 'BMSP', 'CMSP']);
  return {
    msp,
    peers: {
      A: await msp.issue('AMSP', 'peer'),
      B: await msp.issue('BMSP', 'peer'),
      C: await msp.issue('CMSP', 'peer'),
    },
    client: await msp.issue('AMSP', 'client'),
  };
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'careledger-ledger-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Every key and value of the (closed) LevelDB store in `dir`, as `key=value` hex lines: to prove
 * that something changed nothing (its files change on any open, as LevelDB compacts).
 */
export async function levelDbContents(dir: string): Promise<string[]> {
  const db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await db.open({ createIfMissing: false });
  const entries: string[] = [];
  try {
    for await (const [key, value] of db.iterator())
      entries.push(`${key.toString('hex')}=${value.toString('hex')}`);
  } finally {
    await db.close();
  }
  return entries;
}

export async function openTestLedger(
  net: TestNetwork,
  dataDir: string,
  overrides: Partial<LedgerOptions> = {},
): Promise<DevnetLedger> {
  return openLedger({
    dataDir,
    channelId: CHANNEL,
    msp: net.msp,
    chaincodes: [{ name: CC, version: '1.0', policy: 'MAJORITY' }],
    logger: pino({ level: 'silent' }),
    syncWrites: false,
    ...overrides,
  });
}

/** Endorses with a majority (A and B) unless told otherwise. */
export function endorse(
  net: TestNetwork,
  ledger: DevnetLedger,
  simulate: (sim: TxSimulator, ns: string) => Promise<void>,
  extra: Partial<EndorseOptions> = {},
): Promise<{ txId: string; envelope: Buffer }> {
  return endorseTransaction({
    ledger,
    creator: net.client,
    endorsers: [net.peers.A, net.peers.B],
    chaincode: CC,
    simulate,
    ...extra,
  });
}

/** Commits one block of the given transactions and returns their codes. */
export async function commitCodes(ledger: DevnetLedger, ...txs: { envelope: Buffer }[]): Promise<number[]> {
  const block = await ledger.commitBlock(txs.map((t) => t.envelope));
  return block.transactions.map((t) => t.code);
}

export const put = (key: string, value: string) => (sim: TxSimulator, ns: string) =>
  sim.putState(ns, key, Buffer.from(value));
