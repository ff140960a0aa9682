import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runWithLibs, tempDir } from './network-shell';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('native mode processes', () => {
  it('records a PID file and a log per node, and down stops exactly those processes', () => {
    const t = tempDir('cl-native-');
    try {
      runWithLibs(`CL_MODE=native; start_process orderer0.test '' ${t.dir} sleep 300`, { CL_RUN_DIR: t.dir });
      const [pidText, program] = readFileSync(join(t.dir, 'pids/orderer0.test.pid'), 'utf8')
        .trim()
        .split(' ');
      const pid = Number(pidText);
      expect(program).toBe('sleep');
      expect(alive(pid)).toBe(true);
      expect(readFileSync(join(t.dir, 'logs/orderer0.test.log'), 'utf8')).toBe('');

      const r = runWithLibs('CL_MODE=native; native_down', { CL_RUN_DIR: t.dir });
      expect(r.stderr).toContain(`orderer0.test: stopped (pid ${pid})`);
      // The PID is gone, or at most a zombie waiting for its reaper.
      const state = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
      expect(state === '' || state.startsWith('Z')).toBe(true);
    } finally {
      t.remove();
    }
  });

  it('leaves alone a process whose PID was reused by another program', () => {
    const t = tempDir('cl-native-');
    const other = spawn('sleep', ['300'], { stdio: 'ignore' });
    try {
      mkdirSync(join(t.dir, 'pids'));
      writeFileSync(join(t.dir, 'pids/peer0.test.pid'), `${other.pid} peer\n`);
      runWithLibs('CL_MODE=native; native_down', { CL_RUN_DIR: t.dir });
      expect(alive(other.pid!)).toBe(true);
    } finally {
      other.kill();
      t.remove();
    }
  });

  it('down stops the nodes side by side, not one after the other', () => {
    // A Fabric 2.5.5 node takes about 2 s to stop after TERM; down took 16 s for 8 processes.
    const t = tempDir('cl-native-');
    try {
      const slow = `bash -c 'trap "sleep 2; exit 0" TERM; while :; do sleep 0.2; done'`;
      const names = ['orderer0.test', 'peer0.a.test', 'peer0.b.test', 'peer0.c.test'];
      runWithLibs(
        `CL_MODE=native; ${names.map((n) => `start_process ${n} '' ${t.dir} ${slow}`).join('; ')}`,
        { CL_RUN_DIR: t.dir },
      );
      const started = Date.now();
      const r = runWithLibs('CL_MODE=native; native_down', { CL_RUN_DIR: t.dir });
      const took = Date.now() - started;
      for (const n of names)
        expect(r.stderr).toMatch(new RegExp(`${n.replace(/\./g, '\\.')}: stopped \\(pid \\d+\\)`));
      expect(r.stderr).not.toContain('ignored TERM');
      expect(took).toBeGreaterThan(1_500);
      expect(took).toBeLessThan(6_000);
      expect(spawnSync('ls', [join(t.dir, 'pids')], { encoding: 'utf8' }).stdout).toBe('');
    } finally {
      t.remove();
    }
  });

  it('does not start a node twice', () => {
    const t = tempDir('cl-native-');
    try {
      const start = `CL_MODE=native; start_process peer0.test '' ${t.dir} sleep 300`;
      runWithLibs(start, { CL_RUN_DIR: t.dir });
      const again = runWithLibs(start, { CL_RUN_DIR: t.dir });
      expect(again.stderr).toContain('peer0.test: already running');
      runWithLibs('CL_MODE=native; native_down', { CL_RUN_DIR: t.dir });
    } finally {
      t.remove();
    }
  });
});

describe('chaincode package', () => {
  function unpack(dir: string, file: string): string {
    const out = join(dir, 'unpacked');
    mkdirSync(out, { recursive: true });
    spawnSync('tar', ['-xzf', file, '-C', out]);
    spawnSync('tar', ['-xzf', join(out, 'code.tar.gz'), '-C', out]);
    return out;
  }

  it('is a ccaas package whose connection.json names the chaincode server', () => {
    const t = tempDir('cl-ccpkg-');
    try {
      runWithLibs('CL_MODE=native; CL_CC_TLS=false; write_cc_package', { CL_RUN_DIR: t.dir });
      const out = unpack(t.dir, join(t.dir, 'chaincode/careledger_1.0.tar.gz'));
      expect(JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8'))).toEqual({
        type: 'ccaas',
        label: 'careledger_1.0',
      });
      expect(JSON.parse(readFileSync(join(out, 'connection.json'), 'utf8'))).toEqual({
        address: '127.0.0.1:9999',
        dial_timeout: '10s',
        tls_required: false,
      });
    } finally {
      t.remove();
    }
  });

  it('keeps an unchanged package byte for byte, so a re-run of deployCC finds the same package ID', () => {
    const t = tempDir('cl-ccpkg-');
    try {
      const pkg = join(t.dir, 'chaincode/careledger_1.0.tar.gz');
      runWithLibs('CL_MODE=native; CL_CC_TLS=false; write_cc_package', { CL_RUN_DIR: t.dir });
      const first = readFileSync(pkg);
      // tar and gzip record times: a rewritten package a second later would differ.
      runWithLibs('sleep 1.1; CL_MODE=native; CL_CC_TLS=false; write_cc_package', { CL_RUN_DIR: t.dir });
      expect(readFileSync(pkg).equals(first)).toBe(true);
      runWithLibs('CL_MODE=native; CL_CC_TLS=false; CL_CC_PORT=9998; write_cc_package', {
        CL_RUN_DIR: t.dir,
      });
      expect(readFileSync(pkg).equals(first)).toBe(false);
      const out = unpack(t.dir, pkg);
      expect(JSON.parse(readFileSync(join(out, 'connection.json'), 'utf8'))).toMatchObject({
        address: '127.0.0.1:9998',
      });
    } finally {
      t.remove();
    }
  });

  it('carries the TLS root certificate and the container address in Docker mode', () => {
    const t = tempDir('cl-ccpkg-');
    try {
      const tls = join(
        t.dir,
        'organizations/ordererOrganizations/orderer.careledger.local/ccaas/ccaas.careledger.local/tls',
      );
      mkdirSync(tls, { recursive: true });
      writeFileSync(join(tls, 'ca.crt'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----');
      runWithLibs('CL_MODE=docker; CL_CC_VERSION=2.0; write_cc_package', { CL_RUN_DIR: t.dir });
      const out = unpack(t.dir, join(t.dir, 'chaincode/careledger_2.0.tar.gz'));
      const connection = JSON.parse(readFileSync(join(out, 'connection.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(connection).toMatchObject({
        address: 'ccaas.careledger.local:9999',
        tls_required: true,
        client_auth_required: false,
        root_cert: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
      });
    } finally {
      t.remove();
    }
  });

  it('initialises the registry with the four organisations and their types', () => {
    const json = runWithLibs('registry_json').stdout;
    expect(JSON.parse(json)).toEqual([
      { mspId: 'HospitalAMSP', type: 'hospital', name: 'Hospital A' },
      { mspId: 'HospitalBMSP', type: 'hospital', name: 'Hospital B' },
      { mspId: 'LabMSP', type: 'lab', name: 'Laboratory' },
      { mspId: 'PharmacyMSP', type: 'pharmacy', name: 'Pharmacy' },
    ]);
  });
});
