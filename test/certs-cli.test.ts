import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrganizations } from '@careledger/fabric-toolkit';

// As `npm run certs` runs it (tsx's CommonJS hooks in-thread: half the start-up of the tsx binary).
const run = (args: string[]) =>
  spawnSync(
    process.execPath,
    [
      '--require',
      require.resolve('tsx/cjs'),
      join(__dirname, '..', 'network', 'scripts', 'certs.js'),
      ...args,
    ],
    {
      encoding: 'utf8',
    },
  );

describe('certs CLI', () => {
  it('exits 2 with the usage on a usage error and 0 on -h', () => {
    const help = run(['-h']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('enroll --out DIR --org MSPID');
    const cases: [string[], string][] = [
      [['enroll', '--org', 'LabMSP'], 'enroll needs --out, --org, --name and --role'],
      [['init', '--out', join(tmpdir(), 'never'), '--peers', '0'], '--peers and --orderers must be positive'],
      [['init', '--out', join(tmpdir(), 'never'), '--orgs', 'LabMSP,LabMSP'], 'distinct names'],
      [['init', '--out', join(tmpdir(), 'never'), '--tls-host', 'a b'], '--tls-host takes'],
      [['init', '--out', join(tmpdir(), 'never'), 'extra'], "unexpected argument 'extra'"],
      [
        ['enroll', '--out', 'x', '--org', 'LabMSP', '--name', 'n', '--role', 'r', '--attr', 'novalue'],
        '--attr takes key=value',
      ],
      [['show'], 'show needs a certificate file'],
      [['frobnicate'], "unknown command 'frobnicate'"],
      [['init', '--bogus'], "Unknown option '--bogus'"],
      [[], 'a command is required'],
    ];
    for (const [args, message] of cases) {
      const result = run(args);
      expect([args.join(' '), result.status]).toEqual([args.join(' '), 2]);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain('Usage: npm run certs');
    }
    expect(existsSync(join(tmpdir(), 'never'))).toBe(false);
  });

  it('exits 1 with the reason when the work fails', () => {
    const missing = run(['show', join(tmpdir(), 'no-such-cert.pem')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('ENOENT');
    const noOrg = run([
      'enroll',
      '--out',
      join(tmpdir(), 'no-such-crypto'),
      '--org',
      'LabMSP',
      '--name',
      'x',
      '--role',
      'technician',
    ]);
    expect(noOrg.status).toBe(1);
    expect(noOrg.stderr).toContain('no organisation LabMSP');
  });

  it('initialises the named organisations with admins, demo users, peers, orderers and TLS names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-init-'));
    try {
      const init = run([
        'init',
        '--out',
        dir,
        '--orgs',
        'HospitalAMSP,LabMSP',
        '--peers',
        '2',
        '--orderers',
        '3',
        '--tls-host',
        'gateway.example',
      ]);
      expect(init.status).toBe(0);
      const orgs = await loadOrganizations(dir);
      expect(orgs.map((o) => [o.mspId, o.nodes.length, o.users.map((u) => u.name)])).toEqual([
        [
          'HospitalAMSP',
          2,
          ['hospitala-admin', 'hospitala-device', 'hospitala-doctor', 'hospitala-nurse', 'hospitala-patient'],
        ],
        ['LabMSP', 2, ['lab-admin', 'lab-technician']],
        ['OrdererMSP', 3, ['orderer-admin']],
      ]);
      const tls = new X509Certificate(readFileSync(orgs[2]!.nodes[2]!.tlsCertPath));
      expect(tls.subjectAltName).toContain('DNS:orderer2.orderer.careledger.local');
      expect(tls.subjectAltName).toContain('DNS:gateway.example');
      expect(statSync(orgs[2]!.nodes[2]!.tlsKeyPath).mode & 0o777).toBe(0o600);
      const shown = JSON.parse(run(['show', orgs[0]!.users[0]!.certPath]).stdout) as {
        ou: string;
        attrs: Record<string, string>;
      };
      expect(shown.ou).toBe('admin');
      expect(shown.attrs).toMatchObject({
        role: 'admin',
        'hf.EnrollmentID': 'Admin@hospitala.careledger.local',
      });
      const again = run(['init', '--out', dir, '--orgs', 'HospitalAMSP']);
      expect(again.status).toBe(1);
      expect(again.stderr).toContain('organisation HospitalAMSP already exists');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('enrols a user whose attributes `show` prints back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    try {
      expect(run(['init', '--out', dir, '--orgs', 'HospitalAMSP:hospital', '--no-demo-users']).status).toBe(
        0,
      );
      const enrolled = run([
        'enroll',
        '--out',
        dir,
        '--org',
        'HospitalAMSP',
        '--name',
        'dev-9',
        '--role',
        'device',
        '--attr',
        'deviceId=dev-9',
      ]);
      expect(enrolled.status).toBe(0);
      const identity = JSON.parse(enrolled.stdout) as { name: string; certPath: string; keyPath: string };
      expect(identity).toMatchObject({
        name: 'hospitala-dev-9',
        certPath: join(
          dir,
          'peerOrganizations/hospitala.careledger.local/users/dev-9@hospitala.careledger.local/msp/signcerts/dev-9@hospitala.careledger.local-cert.pem',
        ),
        keyPath: join(
          dir,
          'peerOrganizations/hospitala.careledger.local/users/dev-9@hospitala.careledger.local/msp/keystore/priv_sk',
        ),
      });
      const shown = JSON.parse(run(['show', identity.certPath]).stdout) as {
        ou: string;
        attrs: Record<string, string>;
      };
      expect(shown.ou).toBe('client');
      expect(shown.attrs).toEqual({
        'hf.Affiliation': '',
        'hf.EnrollmentID': 'dev-9@hospitala.careledger.local',
        'hf.Type': 'client',
        deviceId: 'dev-9',
        role: 'device',
      });
      // --crypto is the older spelling of --out; a second enrolment of the same name fails.
      const twice = run([
        'enroll',
        '--crypto',
        dir,
        '--org',
        'HospitalAMSP',
        '--name',
        'DEV-9',
        '--role',
        'device',
      ]);
      expect(twice.status).toBe(1);
      expect(twice.stderr).toContain('already exists');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
