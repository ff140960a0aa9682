import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createOrganization, readAttributes } from '@careledger/fabric-toolkit';
import { issuerOf, newFabricCaIssuer } from './device-identity-issuer';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'issuer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const users = (cryptoDir: string): string =>
  path.join(cryptoDir, 'peerOrganizations', 'hospitala.careledger.local', 'users');

describe('the certificate tooling issuer', () => {
  it('issues device identities with role and deviceId, and takes one issued before as it is', async () => {
    const cryptoDir = path.join(dir, 'organizations');
    await createOrganization(cryptoDir, { mspId: 'HospitalAMSP', kind: 'peer', nodes: 1 });
    const issuer = issuerOf(cryptoDir, 'HospitalAMSP');
    expect(issuer.description).toContain("project's certificate tooling");
    const [first, second] = await issuer.issue([
      { name: 'sim-device-0', deviceId: 'sim-device-0' },
      { name: 'sim-device-1', deviceId: 'sim-device-1' },
    ]);
    expect(first).toMatchObject({ name: 'hospitala-sim-device-0', role: 'device' });
    expect(second?.attrs).toEqual({ role: 'device', deviceId: 'sim-device-1' });
    const cert = await readFile(second!.certPath, 'utf8');
    expect(readAttributes(cert)).toMatchObject({ role: 'device', deviceId: 'sim-device-1' });
    expect(
      second!.certPath.startsWith(
        path.join(users(cryptoDir), 'sim-device-1@hospitala.careledger.local', 'msp'),
      ),
    ).toBe(true);

    const [again] = await issuer.issue([{ name: 'sim-device-1', deviceId: 'sim-device-1' }]);
    expect(again?.certPath).toBe(second?.certPath);
    expect(await readFile(again!.certPath, 'utf8')).toBe(cert);
  });
});

/** A stand-in for fabric-ca-client: logs its arguments, and `enroll` writes an MSP folder into -M. */
async function fakeCaClient(log: string, failRegister = false): Promise<string> {
  const file = path.join(dir, 'fabric-ca-client');
  await writeFile(
    file,
    `#!/bin/sh
echo "$*" >> "${log}"
[ "$1" = register ] && ${failRegister ? 'echo "Error: Identity is already registered" >&2; exit 1' : 'exit 0'}
while [ $# -gt 0 ]; do [ "$1" = -M ] && msp=$2; shift; done
mkdir -p "$msp/signcerts" "$msp/keystore" "$msp/cacerts"
echo cert > "$msp/signcerts/cert.pem"; echo key > "$msp/keystore/abc_sk"; echo ca > "$msp/cacerts/127-0-0-1-7954.pem"
`,
  );
  await chmod(file, 0o755);
  return file;
}

describe('the Fabric CA issuer', () => {
  it('registers (type client, role and deviceId as ecert attributes) and enrols each device into its MSP folder', async () => {
    const cryptoDir = path.join(dir, 'organizations');
    const log = path.join(dir, 'calls.log');
    const issuer = newFabricCaIssuer({
      cryptoDir,
      mspId: 'HospitalAMSP',
      url: 'https://127.0.0.1:7954',
      caName: 'ca.hospitala.careledger.local',
      tlsCertFile: '/ca/tls-cert.pem',
      registrarHome: '/ca/registrar',
      client: await fakeCaClient(log),
    });
    const [id] = await issuer.issue([{ name: 'sim-device-7', deviceId: 'sim-device-7' }]);
    const msp = path.join(users(cryptoDir), 'sim-device-7@hospitala.careledger.local', 'msp');
    expect(id).toEqual({
      name: 'hospitala-sim-device-7',
      role: 'device',
      certPath: path.join(msp, 'signcerts', 'cert.pem'),
      keyPath: path.join(msp, 'keystore', 'abc_sk'),
      attrs: { role: 'device', deviceId: 'sim-device-7' },
    });
    const [register, enroll] = (await readFile(log, 'utf8')).trim().split('\n');
    expect(register).toMatch(
      /^register --id.name sim-device-7@hospitala.careledger.local --id.secret \S+ --id.type client --id.attrs role=device:ecert,deviceId=sim-device-7:ecert -u https:\/\/127.0.0.1:7954 -H \/ca\/registrar --caname ca.hospitala.careledger.local --tls.certfiles \/ca\/tls-cert.pem$/,
    );
    const secret = /--id.secret (\S+)/.exec(register!)?.[1];
    expect(enroll).toBe(
      `enroll -u https://sim-device-7%40hospitala.careledger.local:${secret}@127.0.0.1:7954 -M ${msp} -H ${path.dirname(msp)} --caname ca.hospitala.careledger.local --tls.certfiles /ca/tls-cert.pem`,
    );
    expect(await readFile(path.join(msp, 'cacerts', 'ca.crt'), 'utf8')).toBe('ca\n');
    expect(await readFile(path.join(msp, 'config.yaml'), 'utf8')).toContain('Certificate: cacerts/ca.crt');
  });

  it("names the user and fabric-ca-client's error when it fails", async () => {
    const issuer = newFabricCaIssuer({
      cryptoDir: path.join(dir, 'organizations'),
      mspId: 'HospitalAMSP',
      url: 'https://127.0.0.1:7954',
      caName: 'ca.hospitala.careledger.local',
      tlsCertFile: '/ca/tls-cert.pem',
      registrarHome: '/ca/registrar',
      client: await fakeCaClient(path.join(dir, 'calls.log'), true),
    });
    await expect(issuer.issue([{ name: 'd', deviceId: 'd' }])).rejects.toThrow(
      /could not issue d@hospitala.careledger.local: Error: Identity is already registered/,
    );
  });

  it('is chosen on a network.sh --ca run directory (the registrar enrolled, no CA key in the crypto material)', async () => {
    const cryptoDir = path.join(dir, 'organizations');
    await mkdir(path.join(dir, 'fabric-ca-client', 'ca.hospitalb.careledger.local', 'msp', 'signcerts'), {
      recursive: true,
    });
    expect(issuerOf(cryptoDir, 'HospitalBMSP').description).toBe(
      'Fabric CA ca.hospitalb.careledger.local at https://127.0.0.1:8954',
    );
    expect(() => issuerOf(cryptoDir, 'LabMSP')).toThrow(
      /cannot issue identities of LabMSP: neither its CA key/,
    );
  });
});
