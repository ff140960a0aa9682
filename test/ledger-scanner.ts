import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Devnet } from '@careledger/devnet';
import { ledger } from '@hyperledger/fabric-protos';
import { ClassicLevel } from 'classic-level';

/** Where a needle was found: a block, or an entry of a LevelDB table of the embedded network. */
export interface Hit {
  readonly needle: string;
  readonly where: string;
}

/**
 * The LevelDB tables of the embedded network (network/devnet/src/ledger/db-keys.ts) and whose peer
 * each stands for. One process plays every organisation's peer, so its database holds what all of
 * them store together: `p` (private values) and `v` (committed private write sets, each scanned
 * collection by collection) are per collection, and `t`/`u` (the transient store) is
 * the endorsing peer's, which for patient data is the custodian's alone. Everything else — public
 * state, private-data hashes, history, blocks, headers, the transaction index, metadata — is what
 * every member organisation's peer stores.
 */
const tables: Readonly<Record<string, string>> = {
  s: 'public state',
  h: 'private-data hashes',
  p: 'private values',
  y: 'history',
  b: 'blocks',
  k: 'block headers',
  x: 'transaction index',
  t: 'transient store',
  u: 'transient store index',
  v: 'committed private write sets',
  w: 'committed private write set index',
  m: 'metadata',
};

function find(bytes: Uint8Array, needles: readonly string[], where: string): Hit[] {
  const buffer = Buffer.from(bytes);
  return needles.filter((n) => buffer.includes(Buffer.from(n, 'utf8'))).map((needle) => ({ needle, where }));
}

/** Every needle in every block the ledger holds (the blocks every member's peer keeps). */
export async function scanBlocks(ledger: Devnet['ledger'], needles: readonly string[]): Promise<Hit[]> {
  const hits: Hit[] = [];
  for (let n = 0n; n < ledger.height(); n++) {
    const block = await ledger.getRawBlock(n);
    if (block) hits.push(...find(block.serializeBinary(), needles, `block ${n}`));
  }
  return hits;
}

/**
 * Every needle in every key and value of the stopped embedded network's LevelDB, named by table
 * (and, for private values, by collection).
 */
export async function scanLedgerDb(devnetDataDir: string, needles: readonly string[]): Promise<Hit[]> {
  const db = new ClassicLevel<Buffer, Buffer>(join(devnetDataDir, 'ledger'), {
    keyEncoding: 'buffer',
    valueEncoding: 'buffer',
    createIfMissing: false,
  });
  await db.open();
  const hits: Hit[] = [];
  try {
    for await (const [key, value] of db.iterator()) {
      const table = tables[String.fromCharCode(key[0] ?? 0)] ?? `table ${key[0]}`;
      if (table === 'committed private write sets') {
        hits.push(...find(key, needles, `${table} (key)`), ...findInPrivateWriteSet(value, needles, table));
        continue;
      }
      const where =
        table === 'private values'
          ? `${table} of ${key.subarray(1).toString('utf8').split('\u0000')[1]}`
          : table;
      hits.push(...find(key, needles, `${where} (key)`), ...find(value, needles, where));
    }
  } finally {
    await db.close();
  }
  return hits;
}

/** Hits in a stored `TxPvtReadWriteSet`, named by the collection each is in. */
function findInPrivateWriteSet(value: Buffer, needles: readonly string[], table: string): Hit[] {
  const set = ledger.rwset.TxPvtReadWriteSet.deserializeBinary(value);
  const hits = set
    .getNsPvtRwsetList()
    .flatMap((ns) => ns.getCollectionPvtRwsetList())
    .flatMap((coll) => find(coll.getRwset_asU8(), needles, `${table} of ${coll.getCollectionName()}`));
  // Anything outside the collections' write sets (there should be nothing) counts as unattributed.
  const rest = find(value, needles, table).filter((h) => !hits.some((x) => x.needle === h.needle));
  return [...hits, ...rest];
}

/**
 * The same search over the disks of a real Fabric network's peers (`network.sh` keeps each peer's
 * file system under `<run dir>/data/<peer>`): every block file, every entry of the state and
 * private-data LevelDB stores (opened on a copy, so a running peer keeps its lock). Hits are
 * named by peer and store.
 */
export async function scanPeerDirs(
  peerDirs: Readonly<Record<string, string>>,
  needles: readonly string[],
): Promise<Hit[]> {
  const hits: Hit[] = [];
  for (const [peer, dir] of Object.entries(peerDirs)) {
    const ledgers = join(dir, 'ledgersData');
    for (const file of await listFiles(join(ledgers, 'chains', 'chains'))) {
      hits.push(...find(await readFile(file), needles, `${peer} ${relative(ledgers, file)}`));
    }
    for (const store of ['stateLeveldb', 'pvtdataStore', 'historyLeveldb', 'chains/index']) {
      const copy = await mkdtemp(join(tmpdir(), 'scan-'));
      try {
        await cp(join(ledgers, store), copy, { recursive: true });
        await rm(join(copy, 'LOCK'), { force: true });
        const db = new ClassicLevel<Buffer, Buffer>(copy, {
          keyEncoding: 'buffer',
          valueEncoding: 'buffer',
          createIfMissing: false,
        });
        await db.open();
        try {
          for await (const [key, value] of db.iterator()) {
            hits.push(
              ...find(key, needles, `${peer} ${store} (key)`),
              ...find(value, needles, `${peer} ${store}`),
            );
          }
        } finally {
          await db.close();
        }
      } finally {
        await rm(copy, { recursive: true, force: true });
      }
    }
  }
  return hits;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) files.push(...(await listFiles(path)));
    else files.push(path);
  }
  return files;
}
