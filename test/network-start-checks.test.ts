import { createServer, type Server } from 'node:http';
import { runWithLibs, shellQuote, tempDir } from './network-shell';

/*
 * network.sh up (native) must fail fast and clearly when a port a node needs is taken, and wait
 * for each node's own process to be healthy rather than for anything to answer on its port.
 */
function listen(port: number): Promise<Server> {
  const server = createServer((_req, res) => res.end());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

async function freePort(): Promise<number> {
  const server = await listen(0);
  const { port } = server.address() as { port: number };
  await close(server);
  return port;
}

/** A node of its own: a process (as network.sh starts one) serving /healthz with `status`. */
function fakeNode(dir: string, port: number, status: number): string {
  const program = `require('http').createServer((q, s) => { s.statusCode = q.url === '/healthz' ? ${status} : 404; s.end(); }).listen(${port}, '127.0.0.1')`;
  return `start_process peer0.test '' ${dir} node -e "${program}"`;
}

describe('native start-up checks', () => {
  it('refuses to start when another program holds a port of a node, naming port, node and use', () => {
    // In a network namespace of its own, so that what the host runs (a devnet on 7051) does not count.
    const t = tempDir('cl-ports-');
    // orderer0's operations port in the default topology, held by a program that is not a node.
    const squatter = `${shellQuote(process.execPath)} -e "require('net').createServer().listen(6052, '127.0.0.1')" >/dev/null 2>&1 &
      trap "kill $! 2>/dev/null" EXIT
      for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/6052) 2>/dev/null && break; sleep 0.05; done`;
    try {
      expect(() =>
        runWithLibs(
          `${squatter}\nCL_MODE=native; CL_ORDERERS=1; require_ports_free; echo started-anyway`,
          { CL_RUN_DIR: t.dir },
          { ownNetwork: true },
        ),
      ).toThrow(
        /these ports are in use by another program: 127\.0\.0\.1:6052 \(orderer0\.[^,]+, operations\)\. /,
      );
    } finally {
      t.remove();
    }
    const t2 = tempDir('cl-ports-');
    try {
      expect(
        runWithLibs(
          'CL_MODE=native; CL_ORDERERS=1; require_ports_free; echo ports-free',
          { CL_RUN_DIR: t2.dir },
          { ownNetwork: true },
        ).stdout,
      ).toContain('ports-free');
    } finally {
      t2.remove();
    }
  });

  it("fails at once when the node's own process exits, even if another program answers on its port", async () => {
    const t = tempDir('cl-health-');
    const other = await listen(0);
    const { port } = other.address() as { port: number };
    try {
      expect(() =>
        runWithLibs(
          `CL_MODE=native; start_process peer0.test '' ${t.dir} sleep 0.2; sleep 0.5; wait_for_node 127.0.0.1 ${port} ${port} peer0.test`,
          { CL_RUN_DIR: t.dir },
        ),
      ).toThrow('peer0.test exited during start-up');
    } finally {
      await close(other);
      t.remove();
    }
  });

  it("waits for the node's operations endpoint to answer /healthz with 200", async () => {
    const t = tempDir('cl-health-');
    const port = await freePort();
    try {
      const ok = runWithLibs(
        `CL_MODE=native; ${fakeNode(t.dir, port, 200)}; wait_for_node 127.0.0.1 ${port} ${port} peer0.test && echo healthy; native_down`,
        { CL_RUN_DIR: t.dir },
      );
      expect(ok.stdout).toContain('healthy');
      const sick = runWithLibs(
        `CL_MODE=native; ${fakeNode(t.dir, port, 503)}; sleep 1; node_healthy 127.0.0.1 ${port} && echo yes || echo no; native_down`,
        { CL_RUN_DIR: t.dir },
      );
      expect(sick.stdout.trim().split('\n').pop()).toBe('no');
      // Nothing listening (yet): not healthy, and the caller goes on waiting.
      expect(runWithLibs(`node_healthy 127.0.0.1 ${port} && echo yes || echo no`).stdout.trim()).toBe('no');
    } finally {
      t.remove();
    }
  });
});
