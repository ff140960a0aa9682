import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import {
  bareBin,
  fakeFabric,
  runLibs,
  runNetworkSh,
  runWithLibs,
  tempDir,
  writeState,
} from './network-shell';

/*
 * Each network.sh command checks what it needs before it changes anything: a missing
 * precondition exits 1 with a message naming what is missing and what to run, and leaves
 * nothing behind; a bad command line exits 2; a failure part-way exits 1 and says how to go on.
 * Fabric itself is faked (test/network-shell.ts): these tests never start a real node.
 */
function listen(port: number): Promise<Server> {
  const server = createServer((socket) => socket.end());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** A run directory as an `up` that wrote its files would leave it (no node running). */
function upWithoutNodes(runDir: string, vars: Readonly<Record<string, string>> = {}): void {
  writeState(runDir, vars);
  mkdirSync(join(runDir, 'configtx'), { recursive: true });
  writeFileSync(join(runDir, 'configtx/configtx.yaml'), '');
  // prepare_cli_config: the peer CLI's core.yaml.
  mkdirSync(join(runDir, 'config'), { recursive: true });
  writeFileSync(join(runDir, 'config/core.yaml'), '');
  mkdirSync(join(runDir, 'organizations/ordererOrganizations'), { recursive: true });
  mkdirSync(join(runDir, 'organizations/peerOrganizations/lab.careledger.local'), { recursive: true });
}

const peers = ['hospitala', 'hospitalb', 'lab', 'pharmacy'].map((o) => `peer0.${o}.careledger.local`);

/**
 * An sh body printing MESSAGE on stderr as Fabric 2.5.5's peer CLI logs an error (colours, time,
 * level, module, function), then exiting 1.
 */
const fabricError = (message: string) =>
  `printf '\\033[31m2026-12-08 02:25:06.497 UTC 0001 ERRO\\033[0m [main] \\033[31;1mInitCmd\\033[0m -> %s\\n' ${JSON.stringify(
    message,
  )} >&2; exit 1`;

describe('network.sh preconditions', () => {
  describe('up', () => {
    it("stops before writing anything when Fabric's core.yaml is missing (native)", () => {
      const t = tempDir('cl-pre-');
      try {
        const fabric = fakeFabric(t.dir);
        const runDir = join(t.dir, 'run');
        const r = runNetworkSh(['up', '--mode', 'native', '--run-dir', runDir], {
          PATH: fabric.path,
          FABRIC_CFG_PATH: join(t.dir, 'no-config'),
        });
        expect(r.stderr).toContain("native mode needs Fabric's default core.yaml and orderer.yaml");
        expect(r.stderr).toContain(
          `Looked in '${join(t.dir, 'no-config')}': no core.yaml and orderer.yaml there`,
        );
        expect(r.stderr).toContain('pass --fabric-cfg DIR');
        // A directory with one of the two names the one missing.
        const cfg = join(t.dir, 'cfg');
        mkdirSync(cfg);
        writeFileSync(join(cfg, 'orderer.yaml'), '');
        const noCore = runNetworkSh(['up', '--mode', 'native', '--fabric-cfg', cfg, '--run-dir', runDir], {
          PATH: fabric.path,
        });
        expect(noCore.stderr).toContain(`Looked in '${cfg}': no core.yaml there`);
        expect(noCore.status).toBe(1);
        expect(r.status).toBe(1);
        expect(existsSync(runDir)).toBe(false);
        expect(fabric.calls()).toEqual([]);
      } finally {
        t.remove();
      }
    });

    it('stops before writing anything when another program holds a port of a node', async () => {
      const t = tempDir('cl-pre-');
      // peer0.pharmacy's chaincode port (10051 + 1) and operations port.
      const squatter = await listen(10052);
      const squatter2 = await listen(10053);
      try {
        const fabric = fakeFabric(t.dir);
        const cfg = join(t.dir, 'cfg');
        mkdirSync(cfg);
        writeFileSync(join(cfg, 'core.yaml'), '');
        writeFileSync(join(cfg, 'orderer.yaml'), '');
        const runDir = join(t.dir, 'run');
        const r = runNetworkSh(
          ['up', '--mode', 'native', '--orderers', '1', '--fabric-cfg', cfg, '--run-dir', runDir],
          { PATH: fabric.path },
        );
        // Each one named, separated by commas.
        expect(r.stderr).toContain(
          '127.0.0.1:10052 (peer0.pharmacy.careledger.local, chaincode), ' +
            '127.0.0.1:10053 (peer0.pharmacy.careledger.local, operations).',
        );
        expect(r.status).toBe(1);
        expect(existsSync(runDir)).toBe(false);
        expect(r.stderr).not.toContain('stopped part-way');
      } finally {
        await close(squatter);
        await close(squatter2);
        t.remove();
      }
    });

    it('names npm, then openssl, when they are missing, before writing anything', () => {
      const t = tempDir('cl-pre-');
      try {
        const version = `[ "$1" = version ] || [ "$1" = -version ] && echo ' Version: 2.5.5'; exit 0`;
        const fabric = Object.fromEntries(
          ['peer', 'orderer', 'configtxgen', 'osnadmin'].map((b) => [b, version]),
        );
        const runDir = join(t.dir, 'run');
        const args = ['up', '--mode', 'native', '--run-dir', runDir];
        const noNpm = runNetworkSh(args, { PATH: bareBin(t.dir, fabric) });
        expect(noNpm.stderr).toContain("'npm' was not found on PATH; it is needed to issue the certificates");
        expect(noNpm.status).toBe(1);
        const noOpenssl = runNetworkSh(args, { PATH: bareBin(t.dir, { ...fabric, npm: 'exit 0' }) });
        expect(noOpenssl.stderr).toContain("'openssl' was not found on PATH");
        expect(noOpenssl.status).toBe(1);
        expect(existsSync(runDir)).toBe(false);
      } finally {
        t.remove();
      }
    });

    it('refuses to change a setting of an existing network and leaves its state alone', () => {
      const t = tempDir('cl-pre-');
      try {
        const runDir = join(t.dir, 'run');
        writeState(runDir, { CL_BATCH_TIMEOUT: '250ms' });
        const before = readFileSync(join(runDir, 'network.state'), 'utf8');
        const env = { PATH: fakeFabric(t.dir).path };
        const batch = runNetworkSh(['up', '--batch-timeout', '2s', '--run-dir', runDir], env);
        expect(batch.stderr).toContain(
          `the network in ${runDir} was created with --batch-timeout 250ms; --batch-timeout cannot change`,
        );
        expect(batch.stderr).toContain("run 'network.sh down'");
        expect(batch.status).toBe(1);
        const ca = runNetworkSh(['up', '--ca', '--run-dir', runDir], env);
        expect(ca.stderr).toContain('was created without --ca; --ca cannot change');
        expect(ca.status).toBe(1);
        // The environment sets a setting as a flag does.
        const peersEnv = runNetworkSh(['up', '--run-dir', runDir], { ...env, CL_PEERS: '2' });
        expect(peersEnv.stderr).toContain('was created with --peers 1; --peers cannot change');
        expect(readFileSync(join(runDir, 'network.state'), 'utf8')).toBe(before);
      } finally {
        t.remove();
      }
    });

    it('keeps the saved settings and secrets when an option is left out (--mode auto takes the saved mode)', () => {
      const t = tempDir('cl-pre-');
      try {
        writeState(t.dir, { CL_BATCH_TIMEOUT: '250ms', CL_PEERS: '2', CL_COUCHDB_PASSWORD: 'saved-pw' });
        const r = runWithLibs(
          'CL_MODE=auto; adopt_saved_settings "CL_MODE"; echo "$CL_MODE $CL_ORDERERS $CL_PEERS $CL_BATCH_TIMEOUT $CL_COUCHDB_PASSWORD"',
          { CL_RUN_DIR: t.dir },
        );
        expect(r.stdout.trim()).toBe('native 1 2 250ms saved-pw');
      } finally {
        t.remove();
      }
    });
  });

  describe('node start-up', () => {
    it('gives up on a node that accepts connections but never answers /healthz after the timeout, not 5 times it', async () => {
      // Seen on Fabric 2.5.5 with a stopped (SIGSTOP) peer: the kernel accepts, nothing answers,
      // and each /healthz waited its 2 s read timeout: `up` took 152 s to report "within 30 s".
      const t = tempDir('cl-pre-');
      const hung = createServer(() => undefined);
      await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', () => resolve()));
      const { port } = hung.address() as { port: number };
      try {
        const started = Date.now();
        const r = runLibs(
          `start_process peer0.lab.careledger.local '' ${t.dir} sleep 30; ` +
            `trap native_down EXIT; wait_for_node 127.0.0.1 ${port} ${port} peer0.lab.careledger.local`,
          { CL_RUN_DIR: t.dir, CL_MODE: 'native', CL_NODE_START_TIMEOUT: '3' },
        );
        expect(r.stderr).toContain(
          `peer0.lab.careledger.local did not become healthy on 127.0.0.1:${port} (operations 127.0.0.1:${port}/healthz) within 3 s`,
        );
        expect(r.status).toBe(1);
        expect(Date.now() - started).toBeLessThan(12_000);
      } finally {
        hung.close();
        t.remove();
      }
    });

    it('says that up does not restart a node that runs but is not healthy', () => {
      const down = runWithLibs(`restart_hint 'orderer0.orderer.careledger.local (not running)'`).stdout;
      expect(down).toContain("Start them with 'network.sh up' (it starts only what is stopped); see ");
      expect(down).not.toContain('not restarted');
      const hung = runWithLibs(
        `restart_hint 'peer0.lab.careledger.local (running, but its /healthz does not answer 200)'`,
      ).stdout;
      expect(hung).toContain(
        "a node that runs but is not healthy is not restarted by 'up': read its log, then " +
          "'network.sh down --keep-data' and 'network.sh up' restart every node with its data",
      );
    });
  });

  describe("the peer CLI's core.yaml (RUN_DIR/config)", () => {
    // Seen on Fabric 2.5.5: without it every peer command fails (Config File "core" Not Found);
    // createChannel made the block, joined the orderers, then failed at the first peer after 10 s,
    // and status printed every peer "not joined", the chaincode "not committed", and exited 0.
    it.each(['createChannel', 'deployCC', 'status'])(
      '%s stops before anything when it is missing',
      (command) => {
        const t = tempDir('cl-pre-');
        try {
          upWithoutNodes(t.dir);
          rmSync(join(t.dir, 'config/core.yaml'));
          const fabric = fakeFabric(t.dir);
          const r = runNetworkSh([command, '--run-dir', t.dir], { PATH: fabric.path });
          expect(r.stderr).toContain(
            `the peer CLI's core.yaml is missing (${t.dir}/config/core.yaml): run 'network.sh up' again`,
          );
          expect(r.stderr).not.toContain('stopped part-way');
          expect(r.status).toBe(1);
          expect(r.stdout).toBe('');
          expect(existsSync(join(t.dir, 'channel-artifacts'))).toBe(false);
          expect(existsSync(join(t.dir, 'chaincode'))).toBe(false);
          expect(fabric.calls()).toEqual([]);
        } finally {
          t.remove();
        }
      },
    );
  });

  describe('a peer CLI that fails', () => {
    it("keeps Fabric's message without colours and log prefix", () => {
      const t = tempDir('cl-pre-');
      try {
        const fabric = fakeFabric(t.dir, {
          peer: fabricError('Cannot run peer because KeyMaterial not found'),
        });
        const r = runWithLibs('peer_query out channel list || echo "failed: $CL_PEER_ERROR"', {
          CL_RUN_DIR: t.dir,
          PATH: fabric.path,
        });
        expect(r.stdout.trim()).toBe('failed: Cannot run peer because KeyMaterial not found');
      } finally {
        t.remove();
      }
    });

    it('is not taken for a peer that has not joined (deployCC)', () => {
      const t = tempDir('cl-pre-');
      try {
        mkdirSync(join(t.dir, 'channel-artifacts'));
        writeFileSync(join(t.dir, 'channel-artifacts/healthchannel.block'), '');
        const fabric = fakeFabric(t.dir, {
          peer: fabricError(
            'Cannot run peer because error when setting up MSP: KeyMaterial not found in SigningIdentityInfo',
          ),
        });
        const r = runLibs('require_channel_joined', { CL_RUN_DIR: t.dir, PATH: fabric.path });
        expect(r.stderr).toContain(
          "could not ask peer0.hospitala.careledger.local for its channels (peer channel list as HospitalAMSP's admin): " +
            'Cannot run peer because error when setting up MSP: KeyMaterial not found in SigningIdentityInfo',
        );
        expect(r.stderr).not.toContain('have not joined');
        expect(r.status).toBe(1);
      } finally {
        t.remove();
      }
    });

    it("tells Fabric's 'not defined' (nothing committed) from a failure to ask", () => {
      const t = tempDir('cl-pre-');
      try {
        const show = 'echo "[$CL_COMMITTED_VERSION/$CL_COMMITTED_SEQUENCE]"';
        const run = (peer: string) =>
          runLibs(`query_committed && ${show} || echo "failed: $CL_PEER_ERROR"`, {
            CL_RUN_DIR: t.dir,
            PATH: fakeFabric(t.dir, { peer }).path,
          }).stdout.trim();
        // Fabric 2.5.5's answers, exit status 1 both.
        expect(
          run(
            "echo 'Error: query failed with status: 404 - namespace careledger is not defined' >&2; exit 1",
          ),
        ).toBe('[/]');
        expect(
          run(
            'echo "Error: query failed with status: 500 - channel \'healthchannel\' not found" >&2; exit 1',
          ),
        ).toBe("failed: Error: query failed with status: 500 - channel 'healthchannel' not found");
        expect(run(`echo '{"sequence":3,"version":"1.1","endorsement_plugin":"escc"}'`)).toBe('[1.1/3]');
      } finally {
        t.remove();
      }
    });
  });

  describe('createChannel', () => {
    it('refuses while the nodes are down, naming each, and creates no block', () => {
      const t = tempDir('cl-pre-');
      try {
        const runDir = join(t.dir, 'run');
        upWithoutNodes(runDir);
        const fabric = fakeFabric(t.dir);
        const r = runNetworkSh(['createChannel', '--run-dir', runDir], { PATH: fabric.path });
        expect(r.stderr).toContain(
          'createChannel needs every orderer and peer of the network in ' +
            `${runDir}, and these are down: orderer0.orderer.careledger.local (not running), ` +
            peers.map((p) => `${p} (not running)`).join(', '),
        );
        expect(r.stderr).toContain("Start them with 'network.sh up'");
        expect(r.stderr).not.toContain('stopped part-way');
        expect(r.status).toBe(1);
        expect(existsSync(join(runDir, 'channel-artifacts'))).toBe(false);
        expect(fabric.calls()).toEqual([]);
      } finally {
        t.remove();
      }
    });

    it('says up did not finish when configtx.yaml is missing', () => {
      const t = tempDir('cl-pre-');
      try {
        writeState(t.dir);
        const r = runNetworkSh(['createChannel', '--run-dir', t.dir], { PATH: fakeFabric(t.dir).path });
        expect(r.stderr).toContain("has no configtx.yaml or crypto material: 'network.sh up' did not finish");
        expect(r.status).toBe(1);
      } finally {
        t.remove();
      }
    });

    it('names a Fabric CLI missing from PATH', () => {
      const t = tempDir('cl-pre-');
      try {
        upWithoutNodes(t.dir);
        const r = runNetworkSh(['createChannel', '--run-dir', t.dir], { PATH: bareBin(t.dir) });
        expect(r.stderr).toContain("'configtxgen' was not found on PATH");
        expect(r.status).toBe(1);
      } finally {
        t.remove();
      }
    });
  });

  describe('deployCC', () => {
    it('refuses while the nodes are down and writes no package', () => {
      const t = tempDir('cl-pre-');
      try {
        upWithoutNodes(t.dir);
        const fabric = fakeFabric(t.dir);
        const r = runNetworkSh(['deployCC', '--cc-tls', 'false', '--run-dir', t.dir], { PATH: fabric.path });
        expect(r.stderr).toContain('deployCC needs every orderer and peer');
        expect(r.status).toBe(1);
        expect(existsSync(join(t.dir, 'chaincode'))).toBe(false);
        expect(fabric.calls()).toEqual([]);
      } finally {
        t.remove();
      }
    });

    it('names the peers that have not joined the channel, and a channel never created', () => {
      const t = tempDir('cl-pre-');
      try {
        // Only HospitalA's and HospitalB's peers list the channel.
        const fabric = fakeFabric(t.dir, {
          peer: 'case "$CORE_PEER_ADDRESS" in *:7051|*:8051) echo healthchannel ;; esac',
        });
        const vars = { CL_RUN_DIR: t.dir, PATH: fabric.path };
        const none = runLibs('require_channel_joined', vars);
        expect(none.stderr).toContain(
          "channel 'healthchannel' does not exist yet: run 'network.sh createChannel' first",
        );
        expect(none.status).toBe(1);
        mkdirSync(join(t.dir, 'channel-artifacts'));
        writeFileSync(join(t.dir, 'channel-artifacts/healthchannel.block'), '');
        const r = runLibs('require_channel_joined', vars);
        expect(r.stderr).toContain(
          "these peers have not joined 'healthchannel': peer0.lab.careledger.local peer0.pharmacy.careledger.local." +
            " Run 'network.sh createChannel'",
        );
        expect(r.status).toBe(1);
      } finally {
        t.remove();
      }
    });

    it.each([
      ['auto', '1.0', '1'],
      ['auto', '1.1', '2'],
      ['2', '1.1', '2'],
      ['2', '1.0', '2'],
    ])(
      'deploys --cc-sequence %s of version %s as sequence %s over 1.0 at sequence 1',
      (seq, version, expected) => {
        const r = runWithLibs('next_sequence 1.0 1', { CL_CC_SEQUENCE: seq, CL_CC_VERSION: version });
        expect(r.stdout.trim()).toBe(expected);
      },
    );

    it.each([
      [
        '3',
        '1.1',
        '1.0',
        '1',
        "is committed at sequence 1 on 'healthchannel'; the next definition is sequence 2",
      ],
      [
        '1',
        '1.1',
        '1.0',
        '1',
        'sequence 1 of careledger is committed with version 1.0; version 1.1 needs sequence 2',
      ],
      ['2', '1.0', '', '', 'is committed at sequence 0 (not yet)'],
    ])(
      'refuses --cc-sequence %s of version %s over %j at %j before installing anything',
      (seq, version, committedVersion, committedSeq, message) => {
        const r = runLibs(`next_sequence '${committedVersion}' '${committedSeq}'`, {
          CL_CC_SEQUENCE: seq,
          CL_CC_VERSION: version,
        });
        expect(r.stderr).toContain(message);
        expect(r.status).toBe(1);
      },
    );

    it('refuses a changed chaincode server address for a version already committed', () => {
      const t = tempDir('cl-pre-');
      try {
        const vars = { CL_RUN_DIR: t.dir, CL_MODE: 'native', CL_CC_TLS: 'false' };
        runWithLibs('write_cc_package', vars);
        expect(runLibs('require_committed_package && echo same', vars).stdout).toContain('same');
        const moved = runLibs('require_committed_package', { ...vars, CL_CC_PORT: '9998' });
        expect(moved.stderr).toContain(
          'careledger 1.0 is committed with another chaincode server address or TLS setting (--cc-port, --cc-tls)',
        );
        expect(moved.status).toBe(1);
        const other = runLibs('require_committed_package', { ...vars, CL_CC_VERSION: '2.0' });
        expect(other.stderr).toContain('its package is missing');
        expect(other.status).toBe(1);
      } finally {
        t.remove();
      }
    });

    it("refuses a chaincode port another program holds (native), not its own server's", async () => {
      const t = tempDir('cl-pre-');
      const squatter = await listen(0);
      const { port } = squatter.address() as { port: number };
      try {
        const vars = {
          CL_RUN_DIR: t.dir,
          CL_MODE: 'native',
          CL_CC_TLS: 'false',
          CL_CC_PORT: String(port),
          PATH: fakeFabric(t.dir).path,
        };
        const taken = runLibs('require_cc_prereqs', vars);
        expect(taken.stderr).toContain(
          `127.0.0.1:${port} (the chaincode server's port) is in use by another program`,
        );
        expect(taken.status).toBe(1);
        // Our own server on that port (its PID file and recorded port) is no obstacle.
        const own = runLibs(
          `start_process ccaas.careledger.local '' ${t.dir} sleep 30; mkdir -p ${t.dir}/chaincode; ` +
            `echo ${port} >${t.dir}/chaincode/server.port; require_cc_prereqs && echo ok; native_down`,
          vars,
        );
        expect(own.stdout).toContain('ok');
      } finally {
        await close(squatter);
        t.remove();
      }
    });

    it('names a missing collections file and the missing TLS key pair of the chaincode server', () => {
      const t = tempDir('cl-pre-');
      try {
        const vars = { CL_RUN_DIR: t.dir, CL_MODE: 'native', PATH: fakeFabric(t.dir).path };
        const noFile = runLibs('require_cc_prereqs', {
          ...vars,
          CL_CC_COLLECTIONS: join(t.dir, 'none.json'),
        });
        expect(noFile.stderr).toContain(`--cc-collections: no such file: ${join(t.dir, 'none.json')}`);
        expect(noFile.status).toBe(1);
        const noTls = runLibs('require_cc_prereqs', vars);
        expect(noTls.stderr).toContain("the chaincode server's TLS key pair is missing");
        expect(noTls.stderr).toContain('or deploy with --cc-tls false');
        expect(noTls.status).toBe(1);
      } finally {
        t.remove();
      }
    });
  });

  describe('addUser', () => {
    const args = ['addUser', '--org', 'LabMSP', '--name', 'ann', '--role', 'technician'];

    it('says up did not finish when the organisation has no crypto material', () => {
      const t = tempDir('cl-pre-');
      try {
        writeState(t.dir);
        const r = runNetworkSh([...args, '--run-dir', t.dir]);
        expect(r.stderr).toContain("has no crypto material for LabMSP: 'network.sh up' did not finish");
        expect(r.status).toBe(1);
      } finally {
        t.remove();
      }
    });

    it("refuses while the organisation's Fabric CA is not running (--ca) and issues nothing", () => {
      const t = tempDir('cl-pre-');
      try {
        upWithoutNodes(t.dir, { CL_USE_CA: 'true' });
        const fabric = fakeFabric(t.dir);
        const r = runNetworkSh([...args, '--run-dir', t.dir], { PATH: fabric.path });
        expect(r.stderr).toContain(
          "the Fabric CA of LabMSP (ca.lab.careledger.local) is not running: start it with 'network.sh up'",
        );
        expect(r.status).toBe(1);
        expect(fabric.calls()).toEqual([]);
        expect(existsSync(join(t.dir, 'organizations/peerOrganizations/lab.careledger.local/users'))).toBe(
          false,
        );
      } finally {
        t.remove();
      }
    });
  });

  describe('status and down', () => {
    it('status reports on stdout and exits 1 while nodes are down', () => {
      const t = tempDir('cl-pre-');
      try {
        upWithoutNodes(t.dir);
        const r = runNetworkSh(['status', '--run-dir', t.dir], { PATH: fakeFabric(t.dir).path });
        expect(r.stdout).toContain('peer0.lab.careledger.local: not running');
        expect(r.stdout).toContain(
          'chaincode careledger: unknown (peer0.hospitala.careledger.local is not running)',
        );
        expect(r.stderr).toContain(
          'the network is not fully running: orderer0.orderer.careledger.local (not running)',
        );
        expect(r.status).toBe(1);
      } finally {
        t.remove();
      }
    });

    it('names a chaincode server that does not run while its chaincode is committed, and how to start it', () => {
      // Seen on Fabric 2.5.5: after `down --keep-data` and `up` (or a crash of the server) the
      // definition is committed, every call fails, and status exited 0.
      const t = tempDir('cl-pre-');
      try {
        mkdirSync(join(t.dir, 'chaincode'));
        writeFileSync(join(t.dir, 'chaincode/server.port'), '9998\n');
        const vars = { CL_RUN_DIR: t.dir, CL_MODE: 'native', CL_COMMITTED_VERSION: '1.1' };
        expect(runWithLibs('cc_server_problem', vars).stdout.trim()).toBe(
          'the chaincode server ccaas.careledger.local of careledger 1.1 is not running: run ' +
            "'network.sh deployCC --cc-version 1.1 --cc-port 9998' (the options it was deployed with), which " +
            'starts it again and changes nothing else',
        );
        const running = runWithLibs(
          `start_process ccaas.careledger.local '' ${t.dir} sleep 30; trap native_down EXIT; cc_server_problem`,
          vars,
        );
        expect(running.stdout).not.toContain('is not running');
      } finally {
        t.remove();
      }
    });

    it('down without a network has nothing to stop and exits 0', () => {
      const t = tempDir('cl-pre-');
      try {
        const runDir = join(t.dir, 'run');
        const r = runNetworkSh(['down', '--run-dir', runDir]);
        expect(r.stderr).toContain(`no network in ${runDir}; nothing to stop`);
        expect(r.status).toBe(0);
      } finally {
        t.remove();
      }
    });
  });

  describe('exit status', () => {
    it('is 1 for any failure, whatever status the failing command had, and 2 only for usage', () => {
      const trap = "trap 'on_exit $?' EXIT;";
      expect(runLibs(`${trap} (exit 2)`).status).toBe(1);
      expect(runLibs(`${trap} grep -q x /no/such/file`).status).toBe(1);
      expect(runLibs(`${trap} usage_error 'bad flag'`).status).toBe(2);
      expect(runLibs(`${trap} true`).status).toBe(0);
    });

    it('says how to go on after a failure part-way, and not after a precondition', () => {
      const trap = "trap 'on_exit $?' EXIT;";
      const before = runLibs(`${trap} die 'no peer'`);
      expect(before.stderr).not.toContain('stopped part-way');
      const during = runLibs(`${trap} begin_changes createChannel; die 'join failed'`);
      expect(during.stderr).toContain(
        "network.sh createChannel stopped part-way; what it did is kept. Fix the cause and run it again (it skips what is done), or 'network.sh down'",
      );
      expect(during.status).toBe(1);
    });
  });
});
