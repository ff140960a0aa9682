import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConnectionFileError,
  loadConnectionFile,
  tlsRootsOf,
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

  it('keeps each organisation’s peer TLS CA, relative on disk, and bundles every TLS root once', async () => {
    const pem = (name: string) => `-----BEGIN CERTIFICATE-----\n${name}\n-----END CERTIFICATE-----\n`;
    await mkdir(join(dir, 'tls'));
    await writeFile(join(dir, 'tls', 'ca.crt'), pem('gateway-ca'));
    await writeFile(join(dir, 'lab-ca.crt'), pem('lab-ca'));
    const base = file(dir);
    const withCas: ConnectionFile = {
      ...base,
      organisations: [
        { ...base.organisations[0]!, peerTlsCaPath: join(dir, 'lab-ca.crt') },
        // The gateway organisation's own CA, named again: bundled once.
        {
          mspId: 'HospitalAMSP',
          type: 'hospital',
          peerTlsCaPath: join(dir, 'tls', 'ca.crt'),
          identities: [],
        },
      ],
    };
    const path = join(dir, 'connection.json');
    await writeConnectionFile(path, withCas);
    const raw = JSON.parse(await readFile(path, 'utf8')) as ConnectionFile;
    expect(raw.organisations[0]?.peerTlsCaPath).toBe('lab-ca.crt');
    const loaded = await loadConnectionFile(path);
    expect(loaded.organisations[0]?.peerTlsCaPath).toBe(join(dir, 'lab-ca.crt'));
    expect(loaded.organisations[1]?.peerTlsCaPath).toBe(join(dir, 'tls', 'ca.crt'));
    const bundle = tlsRootsOf(loaded).toString();
    expect(bundle.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(bundle).toContain('gateway-ca');
    expect(bundle).toContain('lab-ca');
    // Without per-organisation CAs the bundle is the gateway's CA alone.
    expect(tlsRootsOf(file(dir)).toString()).toBe(pem('gateway-ca'));
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
