import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  bareBin,
  hasCommand,
  libs,
  networkDir,
  networkScript,
  runNetworkSh,
  runWithLibs,
  tempDir,
} from './network-shell';

const builderScripts = ['detect', 'build', 'release'].map((f) => join(networkDir, 'builders/ccaas/bin', f));

describe('network.sh', () => {
  describe('shellcheck', () => {
    it('is run on every library, because network.sh sources each one', () => {
      const files = readdirSync(join(networkDir, 'lib')).map((f) => f.replace(/\.sh$/, ''));
      expect([...libs].sort()).toEqual(files.sort());
    });

    it('finds nothing in network.sh, its libraries and the ccaas builder', () => {
      if (!hasCommand('shellcheck')) {
        throw new Error(
          'shellcheck is not installed: apt-get install -y shellcheck (Debian/Ubuntu) or brew install shellcheck',
        );
      }
      const bash = spawnSync('shellcheck', ['-x', networkScript, ...libs.map((l) => `lib/${l}.sh`)], {
        encoding: 'utf8',
        cwd: networkDir,
      });
      expect(bash.stdout + bash.stderr).toBe('');
      expect(bash.status).toBe(0);
      const sh = spawnSync('shellcheck', ['-s', 'sh', ...builderScripts], { encoding: 'utf8' });
      expect(sh.stdout + sh.stderr).toBe('');
      expect(sh.status).toBe(0);
    });
  });

  describe('command line', () => {
    it('explains every command with -h and exits 0', () => {
      const r = runNetworkSh(['-h']);
      expect(r.status).toBe(0);
      for (const command of ['up', 'createChannel', 'deployCC', 'addUser', 'status', 'down']) {
        expect(r.stdout).toContain(`\n  ${command} `);
      }
      for (const flag of [
        '--mode',
        '--orderers',
        '--peers',
        '--state',
        '--ca',
        '--batch-timeout',
        '--cc-policy',
      ]) {
        expect(r.stdout).toContain(flag);
      }
    });

    it('exits 2 with usage on an unknown flag', () => {
      const r = runNetworkSh(['up', '--no-such-flag']);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("--no-such-flag is not an option of 'up'");
      expect(r.stderr).toContain('Usage: network.sh <command> [options]');
    });

    it('exits 2 on a flag of another command, an unknown command, or none', () => {
      expect(runNetworkSh(['down', '--peers', '2']).status).toBe(2);
      expect(runNetworkSh(['start']).stderr).toContain("unknown command 'start'");
      expect(runNetworkSh([]).status).toBe(2);
      expect(runNetworkSh(['up', '--peers']).stderr).toContain('--peers needs a value');
    });

    it.each([
      [['up', '--orderers', '2'], '--orderers must be 1, 3 or 5'],
      [['up', '--peers', '12'], '--peers must be 1-9'],
      [['up', '-s', 'mysql'], '--state must be leveldb or couchdb'],
      [['up', '--batch-timeout', 'soon'], '--batch-timeout must be a duration'],
      [['up', '--batch-size', '0'], '--batch-size must be a positive integer'],
      [['up', '--mode', 'k8s'], '--mode must be auto, docker or native'],
      [['deployCC', '--cc-sequence', 'next'], '--cc-sequence must be auto'],
      [['deployCC', '--cc-port', '70000'], '--cc-port must be a port number (1-65535)'],
      [['up', 'native'], "'native' is not an option of 'up' (options start with --)"],
      [['status', '--keep-data'], "--keep-data is not an option of 'status'"],
      [
        ['addUser', '--org', 'LabMSP', '--name', 'ann', '--role', 'doctor'],
        "'doctor' is not a role of a lab",
      ],
      [['addUser', '--org', 'NoMSP', '--name', 'ann', '--role', 'admin'], '--org must be HospitalAMSP'],
      [
        ['addUser', '--org', 'HospitalAMSP', '--name', 'p1', '--role', 'patient'],
        'a patient needs --attr patientId',
      ],
      [
        ['addUser', '--org', 'HospitalAMSP', '--name', 'd1', '--role', 'device'],
        'a device needs --attr deviceId',
      ],
    ])('refuses %j with exit 2 and changes nothing', (args, message) => {
      const t = tempDir('cl-net-');
      try {
        const runDir = join(t.dir, 'run');
        const r = runNetworkSh([...args, '--run-dir', runDir]);
        expect(r.stderr).toContain(message);
        expect(r.status).toBe(2);
        expect(existsSync(runDir)).toBe(false);
      } finally {
        t.remove();
      }
    });

    it('says there is no network before up', () => {
      const t = tempDir('cl-net-');
      try {
        const r = runNetworkSh(['createChannel', '--run-dir', t.dir]);
        expect(r.status).toBe(1);
        expect(r.stderr).toContain("run 'network.sh up' first");
      } finally {
        t.remove();
      }
    });
  });

  describe('prerequisites', () => {
    it('names the missing binary, the Fabric line and where to get it (native mode)', () => {
      const t = tempDir('cl-net-');
      try {
        const bin = bareBin(t.dir);
        const r = runNetworkSh(['up', '--mode', 'native', '--run-dir', join(t.dir, 'run')], { PATH: bin });
        expect(r.status).toBe(1);
        expect(r.stderr).toContain("'peer' was not found on PATH");
        expect(r.stderr).toContain('Fabric 2.5.x');
        expect(r.stderr).toContain('https://github.com/hyperledger/fabric/releases');
      } finally {
        t.remove();
      }
    });

    it('refuses a binary of another Fabric line, naming its version', () => {
      const t = tempDir('cl-net-');
      try {
        const bin = bareBin(t.dir);
        for (const tool of ['peer', 'orderer', 'configtxgen', 'osnadmin']) {
          writeFileSync(join(bin, tool), `#!/bin/sh\necho '${tool}:'\necho ' Version: v2.4.9'\n`);
          chmodSync(join(bin, tool), 0o755);
        }
        const r = runNetworkSh(['up', '--mode', 'native', '--run-dir', join(t.dir, 'run')], { PATH: bin });
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(/peer is version 2\.4\.9; CareLedger needs the Fabric 2\.5 line/);
      } finally {
        t.remove();
      }
    });

    it("reads each binary's version the way it reports it (configtxgen -version; osnadmin has none)", () => {
      const t = tempDir('cl-net-');
      try {
        const bin = bareBin(t.dir);
        const version = `echo ' Version: 2.5.5'`;
        const fakes: Record<string, string> = {
          peer: `[ "$1" = version ] && ${version}`,
          orderer: `[ "$1" = version ] && ${version}`,
          // As Fabric 2.5.5's: an unknown argument is ignored (exit 0), the version needs -version.
          configtxgen: `[ "$1" = -version ] && ${version}; exit 0`,
          // As Fabric 2.5.5's: no version command at all.
          osnadmin: `echo "osnadmin: error: expected command but got $1" >&2; exit 1`,
        };
        for (const [tool, body] of Object.entries(fakes)) {
          writeFileSync(join(bin, tool), `#!/bin/sh\n${body}\n`);
          chmodSync(join(bin, tool), 0o755);
        }
        const r = runWithLibs('CL_MODE=native; CL_USE_CA=false; require_prereqs; echo prerequisites-ok', {
          PATH: bin,
        });
        expect(r.stderr).not.toContain('reports no release version');
        expect(r.stdout).toContain('prerequisites-ok');
      } finally {
        t.remove();
      }
    });

    it('says what it checks and why when a source build reports Version: latest, and goes on', () => {
      const t = tempDir('cl-net-');
      try {
        const bin = bareBin(t.dir);
        for (const tool of ['peer', 'orderer', 'configtxgen', 'osnadmin']) {
          writeFileSync(
            join(bin, tool),
            `#!/bin/sh\necho '${tool}:'\necho ' Version: latest'\necho ' Commit SHA: 4072367fc'\n`,
          );
          chmodSync(join(bin, tool), 0o755);
        }
        const r = runWithLibs('CL_MODE=native; CL_USE_CA=false; require_prereqs; echo prerequisites-ok', {
          PATH: bin,
        });
        expect(r.stdout).toContain('prerequisites-ok');
        expect(r.stderr).toContain('reports no release version (commit 4072367fc)');
        expect(r.stderr).toContain("the channel's V2_5 application capability");
        expect(r.stderr).toContain('fails at createChannel (capability V2_5 not supported)');
      } finally {
        t.remove();
      }
    });

    it('explains that neither Docker nor Fabric binaries are available (auto mode)', () => {
      const t = tempDir('cl-net-');
      try {
        const r = runNetworkSh(['up', '--run-dir', join(t.dir, 'run')], { PATH: bareBin(t.dir) });
        expect(r.status).toBe(1);
        expect(r.stderr).toContain('no way to run Fabric nodes here');
        expect(r.stderr).toContain('--mode');
      } finally {
        t.remove();
      }
    });
  });
});

describe('Fabric CA enrolment (--ca)', () => {
  it('enrols the same demo users, roles and attributes as npm run certs -- init', () => {
    // fabric-ca-client is not installed here: record the calls instead of making them.
    const r = runWithLibs('ca_add_user() { echo "enrol $*"; }; ca_enroll_demo_users');
    expect(r.stdout.trim().split('\n')).toEqual([
      'enrol hospitala doctor doctor',
      'enrol hospitala nurse nurse',
      'enrol hospitala device device deviceId=hospitala-device-1',
      'enrol hospitala patient patient patientId=patient-1',
      'enrol hospitalb doctor doctor',
      'enrol hospitalb nurse nurse',
      'enrol hospitalb device device deviceId=hospitalb-device-1',
      'enrol lab technician technician',
      'enrol pharmacy pharmacist pharmacist',
    ]);
  });
});

describe('ccaas external builder', () => {
  function builder(name: string, ...args: string[]) {
    return spawnSync(join(networkDir, 'builders/ccaas/bin', name), args, { encoding: 'utf8' });
  }

  it('detects only packages of type ccaas', () => {
    const t = tempDir('cl-ccaas-');
    try {
      const meta = join(t.dir, 'meta');
      mkdirSync(meta);
      writeFileSync(join(meta, 'metadata.json'), '{"type":"ccaas","label":"careledger_1.0"}');
      expect(builder('detect', join(t.dir, 'src'), meta).status).toBe(0);
      writeFileSync(join(meta, 'metadata.json'), '{"type":"node","label":"careledger_1.0"}');
      expect(builder('detect', join(t.dir, 'src'), meta).status).toBe(1);
    } finally {
      t.remove();
    }
  });

  it('builds and releases connection.json where the peer looks for it', () => {
    const t = tempDir('cl-ccaas-');
    try {
      const [src, meta, out, rel] = ['src', 'meta', 'out', 'rel'].map((d) => join(t.dir, d)) as [
        string,
        string,
        string,
        string,
      ];
      for (const d of [src, meta, out, rel]) mkdirSync(d);
      const connection = '{"address":"127.0.0.1:9999","dial_timeout":"10s","tls_required":false}';
      writeFileSync(join(src, 'connection.json'), connection);
      expect(builder('build', src, meta, out).status).toBe(0);
      expect(builder('release', out, rel).status).toBe(0);
      const released = join(rel, 'chaincode/server/connection.json');
      expect(readFileSync(released, 'utf8')).toBe(connection);
      expect(existsSync(dirname(released))).toBe(true);
    } finally {
      t.remove();
    }
  });

  it('fails the build with a reason when connection.json is missing', () => {
    const t = tempDir('cl-ccaas-');
    try {
      const r = builder('build', t.dir, t.dir, t.dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('connection.json not found');
    } finally {
      t.remove();
    }
  });
});
