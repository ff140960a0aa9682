import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The gateway imports the contract; it must never load the shim (a process holding the shim would
// also pull its gRPC server and logger into the gateway).
jest.mock('fabric-shim', () => {
  throw new Error('the contract loaded fabric-shim');
});
jest.mock('fabric-contract-api', () => {
  throw new Error('the contract loaded fabric-contract-api');
});

// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = require('./index') as typeof import('./index');

describe('the contract (what other packages import)', () => {
  it('loads without fabric-shim or fabric-contract-api', () => {
    expect(Object.keys(api.transactionCatalog).length).toBeGreaterThan(20);
    expect(api.vitalDefinitions.heartRate.unit).toBe('/min');
  });

  it('finds the code of a chaincode error inside the prefixes Fabric adds', () => {
    for (const code of Object.keys(api.ErrorCode) as (keyof typeof api.ErrorCode)[]) {
      expect(api.ErrorCode[code]).toBe(code);
      const message = new api.ChaincodeError(code, 'reading r-1: text, with: colons').message;
      expect(api.parseChaincodeError(message)).toEqual({ code, detail: 'reading r-1: text, with: colons' });
      expect(api.parseChaincodeError(`chaincode response 500, ${message}`)?.code).toBe(code);
    }
    expect(api.parseChaincodeError('chaincode response 500, classToPlain is not a function')).toBeUndefined();
  });
});

describe('docs/contract-api.md', () => {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'contract-api.md'), 'utf8');

  it('lists every transaction of the catalogue with its arguments, transient keys and submit flag, and no other', () => {
    const rows = doc
      .split('\n')
      .filter((line) => /^\| `[A-Za-z]+:[A-Za-z]+` \|/.test(line))
      .map((line) => line.split('|').map((cell) => cell.trim()));
    const documented = new Map(
      rows.map(([, name, args, transient, , submit]) => [
        name!.replace(/`/g, ''),
        {
          args: [...args!.matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1]),
          transient: [...transient!.matchAll(/^`([A-Za-z]+)`/g)].map((m) => m[1]),
          submit: submit!.startsWith('yes'),
        },
      ]),
    );
    expect([...documented.keys()].sort()).toEqual(Object.keys(api.transactionCatalog).sort());
    for (const [name, entry] of Object.entries(api.transactionCatalog)) {
      const transient: readonly string[] = 'transient' in entry ? entry.transient : [];
      expect([name, documented.get(name)]).toEqual([
        name,
        { args: [...entry.args], transient: [...transient], submit: entry.submit },
      ]);
    }
  });

  it('names every error code and event', () => {
    for (const code of Object.keys(api.ErrorCode)) expect(doc).toContain(`\`${code}\``);
    for (const event of Object.values(api.EventName)) expect(doc).toContain(`\`${event}\``);
  });
});
