import { ClassicLevel } from 'classic-level';
import {
  commitCodes,
  createTestNetwork,
  endorse,
  levelDbContents,
  openTestLedger,
  put,
  removeDir,
  tempDataDir,
  type TestNetwork,
} from '../testing/ledger-test-env';
import { LedgerDataFormatError } from './ledger-data-format-error';
import { dbKeys } from './db-keys';

describe('the ledger data-format marker', () => {
  let net: TestNetwork;
  let dir: string;

  beforeAll(async () => {
    net = await createTestNetwork();
  });
  beforeEach(() => {
    dir = tempDataDir();
  });
  afterEach(() => removeDir(dir));

  /** A ledger with one transaction after genesis, made with `dataFormat` (undefined: none). */
  async function ledgerWithBlock(dataFormat: string | undefined): Promise<void> {
    const ledger = await openTestLedger(net, dir, dataFormat === undefined ? {} : { dataFormat });
    await commitCodes(ledger, await endorse(net, ledger, put('k', 'v')));
    await ledger.close();
  }

  /** The marker as stored (undefined: none). */
  async function recordedFormat(): Promise<string | undefined> {
    const db = new ClassicLevel<Buffer, Buffer>(dir, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
    await db.open();
    try {
      return (await db.get(dbKeys.dataFormat))?.toString('utf8');
    } finally {
      await db.close();
    }
  }

  async function refusal(dataFormat: string): Promise<LedgerDataFormatError> {
    const error = await openTestLedger(net, dir, { dataFormat }).then(
      async (ledger) => {
        await ledger.close();
        return undefined;
      },
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(LedgerDataFormatError);
    return error as LedgerDataFormatError;
  }

  it('records the format in a new ledger and opens it again with the same format', async () => {
    await ledgerWithBlock('2');
    expect(await recordedFormat()).toBe('2');
    const ledger = await openTestLedger(net, dir, { dataFormat: '2' });
    expect(ledger.height()).toBe(2n);
    await ledger.close();
  });

  it('refuses another format, naming the directory, both formats and what to do, changing nothing', async () => {
    await ledgerWithBlock('2');
    const before = await levelDbContents(dir);
    const error = await refusal('3');
    expect([error.location, error.found, error.expected]).toEqual([dir, '2', '3']);
    expect(error.message).toContain(`the ledger in ${dir} holds data of format 2`);
    expect(error.message).toContain('stores format 3');
    expect(error.message).toContain(`Remove ${dir} to start with an empty ledger`);
    expect(await levelDbContents(dir)).toEqual(before);
    const ledger = await openTestLedger(net, dir, { dataFormat: '2' });
    expect(ledger.height()).toBe(2n);
    await ledger.close();
  });

  it('reports a ledger with blocks and no recorded format as format 1', async () => {
    await ledgerWithBlock(undefined);
    const before = await levelDbContents(dir);
    const error = await refusal('2');
    expect(error.found).toBe('1');
    expect(error.message).toContain('made before data formats were recorded');
    expect(await levelDbContents(dir)).toEqual(before);
  });

  it('records no format in a new ledger when none is configured', async () => {
    await ledgerWithBlock(undefined);
    expect(await recordedFormat()).toBeUndefined();
  });

  it('checks and records nothing when no format is configured', async () => {
    await ledgerWithBlock('2');
    const ledger = await openTestLedger(net, dir);
    expect(ledger.height()).toBe(2n);
    await ledger.close();
    await ledgerWithBlock(undefined);
    expect(await recordedFormat()).toBe('2');
  });
});
