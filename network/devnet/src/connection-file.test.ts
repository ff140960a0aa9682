import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConnectionFileError,
  loadConnectionFile,
  writeConnectionFile,
  type ConnectionFile,
} from './connection-file';

describe('connection file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'connection-file-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const file = (base: string): ConnectionFile => ({
    version: 1,
    gatewayEndpoint: 'localhost:7051',
    tlsCaPath: join(base, 'tls', 'ca.crt'),
    channel: 'healthchannel',
    chaincode: 'careledger',
    organisations: [
      {
        mspId: 'LabMSP',
        type: 'lab',
        identities: [
          {
            name: 'lab-admin',
            role: 'admin',
            certPath: join(base, 'cert.pem'),
            keyPath: 'key.pem',
            attrs: { role: 'admin' },
          },
        ],
      },
    ],
  });

  it('writes paths relative to the file and loads them back as absolute paths', async () => {
    const path = join(dir, 'connection.json');
    await writeConnectionFile(path, file(dir));
    const raw = JSON.parse(await readFile(path, 'utf8')) as ConnectionFile;
    expect(raw.tlsCaPath).toBe(join('tls', 'ca.crt'));
    const loaded = await loadConnectionFile(path);
    expect(loaded.tlsCaPath).toBe(join(dir, 'tls', 'ca.crt'));
    expect(loaded.organisations[0]?.identities[0]).toMatchObject({
      certPath: join(dir, 'cert.pem'),
      keyPath: join(dir, 'key.pem'),
    });
  });

  it('names the file and the first problem when it does not match the schema', async () => {
    const path = join(dir, 'connection.json');
    await writeFile(path, JSON.stringify({ ...file(dir), organisations: [] }));
    await expect(loadConnectionFile(path)).rejects.toThrow(ConnectionFileError);
    await expect(loadConnectionFile(path)).rejects.toThrow(
      `connection file ${path} is invalid: organisations:`,
    );
  });

  it('says when the file is missing or not JSON', async () => {
    await expect(loadConnectionFile(join(dir, 'none.json'))).rejects.toThrow(/cannot read connection file/);
    await writeFile(join(dir, 'bad.json'), '{');
    await expect(loadConnectionFile(join(dir, 'bad.json'))).rejects.toThrow(/is not JSON/);
  });
});
