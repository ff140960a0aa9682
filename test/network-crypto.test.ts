import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConnectionFile, readAttributes } from '@careledger/fabric-toolkit';
import { runNetworkSh, runWithLibs, tempDir } from './network-shell';

// One run directory with the project's certificates, as `network.sh up` makes it.
const t = tempDir('cl-crypto-');
const runDir = t.dir;

beforeAll(() => {
  runWithLibs(
    'mkdir -p "$CL_RUN_DIR/logs"; generate_crypto; write_configtx "$CL_RUN_DIR/configtx"; write_node_env_files; write_connection_file',
    { CL_RUN_DIR: runDir, CL_MODE: 'native' },
  );
  writeFileSync(
    join(runDir, 'network.state'),
    'CL_MODE=native\nCL_ORDERERS=3\nCL_PEERS=1\nCL_STATE_DB=leveldb\nCL_USE_CA=false\n',
  );
}, 60_000);

afterAll(() => t.remove());

describe('crypto material from npm run certs', () => {
  it('has every file configtx.yaml and the node settings point at', () => {
    const text = [
      readFileSync(join(runDir, 'configtx/configtx.yaml'), 'utf8'),
      ...['peer0.lab.careledger.local', 'orderer2.orderer.careledger.local'].map((n) =>
        readFileSync(join(runDir, 'env', `${n}.env`), 'utf8'),
      ),
    ].join('\n');
    const paths = [...text.matchAll(new RegExp(`${runDir}/organizations/[^\\s\\]]+`, 'g'))].map((m) => m[0]);
    expect(paths.length).toBeGreaterThan(20);
    expect(paths.filter((p) => !existsSync(p))).toEqual([]);
  });

  it('gives each organisation admin role=admin and NodeOUs', () => {
    const domain = 'pharmacy.careledger.local';
    const signcerts = join(
      runDir,
      'organizations/peerOrganizations',
      domain,
      'users',
      `Admin@${domain}`,
      'msp/signcerts',
    );
    const cert = readFileSync(join(signcerts, `Admin@${domain}-cert.pem`), 'utf8');
    expect(readAttributes(cert).role).toBe('admin');
    const ous = readFileSync(
      join(runDir, 'organizations/peerOrganizations', domain, 'msp/config.yaml'),
      'utf8',
    );
    expect(ous).toContain('Enable: true');
  });

  it('issues the chaincode server a TLS certificate from the orderer TLS CA', () => {
    const tls = join(
      runDir,
      'organizations/ordererOrganizations/orderer.careledger.local/ccaas/ccaas.careledger.local/tls',
    );
    const verify = spawnSync('openssl', ['verify', '-CAfile', join(tls, 'ca.crt'), join(tls, 'server.crt')], {
      encoding: 'utf8',
    });
    expect(verify.stdout).toContain('OK');
    const san = spawnSync(
      'openssl',
      ['x509', '-in', join(tls, 'server.crt'), '-noout', '-ext', 'subjectAltName'],
      {
        encoding: 'utf8',
      },
    ).stdout;
    expect(san).toContain('DNS:ccaas.careledger.local');
    expect(san).toContain('IP Address:127.0.0.1');
  });
});

describe('connection file', () => {
  it('matches the embedded network’s schema, with a role for every identity', async () => {
    const c = await loadConnectionFile(join(runDir, 'connection.json'));
    expect(c.gatewayEndpoint).toBe('localhost:7051');
    expect(c.channel).toBe('healthchannel');
    expect(c.chaincode).toBe('careledger');
    expect(existsSync(c.tlsCaPath)).toBe(true);
    expect(c.organisations.map((o) => [o.mspId, o.type, o.peerEndpoint])).toEqual([
      ['HospitalAMSP', 'hospital', 'localhost:7051'],
      ['HospitalBMSP', 'hospital', 'localhost:8051'],
      ['LabMSP', 'lab', 'localhost:9051'],
      ['PharmacyMSP', 'pharmacy', 'localhost:10051'],
    ]);
    // Each organisation's peers have certificates from that organisation's own TLS CA.
    const peerCas = c.organisations.map((o) => readFileSync(o.peerTlsCaPath!, 'utf8'));
    expect(new Set(peerCas).size).toBe(4);
    expect(peerCas[0]).toBe(readFileSync(c.tlsCaPath, 'utf8'));
    const doctor = c.organisations[0]!.identities.find((i) => i.name === 'hospitala-doctor')!;
    expect(doctor.role).toBe('doctor');
    expect(readAttributes(readFileSync(doctor.certPath, 'utf8')).role).toBe('doctor');
    expect(existsSync(doctor.keyPath)).toBe(true);
  });
});

describe('network.sh addUser', () => {
  it('issues a patient with role and patientId and adds it to the connection file', async () => {
    const r = runNetworkSh([
      'addUser',
      '--run-dir',
      runDir,
      '--org',
      'HospitalBMSP',
      '--name',
      'pat7',
      '--role',
      'patient',
      '--attr',
      'patientId=P-7',
    ]);
    expect(r.stderr).toContain('user pat7@hospitalb.careledger.local (patient) issued');
    expect(r.status).toBe(0);
    const mspDir = r.stdout.trim();
    const cert = readFileSync(join(mspDir, 'signcerts/pat7@hospitalb.careledger.local-cert.pem'), 'utf8');
    expect(readAttributes(cert)).toMatchObject({ role: 'patient', patientId: 'P-7' });
    const c = await loadConnectionFile(join(runDir, 'connection.json'));
    const pat = c.organisations[1]!.identities.find((i) => i.name === 'hospitalb-pat7');
    expect(pat?.attrs).toEqual({ role: 'patient', patientId: 'P-7' });
  });

  it('refuses to issue the same user twice', () => {
    const args = [
      'addUser',
      '--run-dir',
      runDir,
      '--org',
      'LabMSP',
      '--name',
      'tech2',
      '--role',
      'technician',
    ];
    expect(runNetworkSh(args).status).toBe(0);
    const again = runNetworkSh(args);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('exists already');
  });
});
