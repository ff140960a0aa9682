import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { connect } from 'node:http2';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { peer } from '@hyperledger/fabric-protos';

// The chaincode as a peer (or the embedded network) runs it: the compiled package started with
// `fabric-chaincode-node server`, answering a peer's /protos.Chaincode/Connect stream with REGISTER.
jest.setTimeout(120_000);

const packageDir = join(__dirname, '..');
const repoBin = join(packageDir, '..', 'node_modules', '.bin');

function newestMtime(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((e) =>
      e.isDirectory() ? newestMtime(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
    ),
  );
}

/** Build dist/ with tsc unless it is newer than every source file. */
function ensureBuilt(): void {
  const entry = join(packageDir, 'dist', 'index.js');
  if (existsSync(entry) && statSync(entry).mtimeMs >= newestMtime(join(packageDir, 'src'))) return;
  execFileSync(join(repoBin, 'tsc'), ['-p', 'tsconfig.build.json'], { cwd: packageDir, stdio: 'pipe' });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Open the chaincode stream as a peer does and return the first message the chaincode sends. */
function firstMessage(port: number): Promise<peer.ChaincodeMessage> {
  return new Promise((resolve, reject) => {
    const session = connect(`http://127.0.0.1:${port}`);
    session.on('error', reject);
    const stream = session.request({
      ':method': 'POST',
      ':path': '/protos.Chaincode/Connect',
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    let buffered = Buffer.alloc(0);
    stream.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      // gRPC framing: 1 byte compression flag, 4 bytes length, then the message.
      if (buffered.length < 5) return;
      const length = buffered.readUInt32BE(1);
      if (buffered.length < 5 + length) return;
      resolve(peer.ChaincodeMessage.deserializeBinary(buffered.subarray(5, 5 + length)));
      stream.close();
      session.close();
    });
    stream.on('error', reject);
  });
}

async function retry<T>(attempt: () => Promise<T>, until: number): Promise<T> {
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('the chaincode as a service', () => {
  let child: ChildProcess | undefined;
  let output = '';

  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('starts with fabric-chaincode-node server, listens and registers under its chaincode id', async () => {
    ensureBuilt();
    const port = await freePort();
    child = spawn(
      join(repoBin, 'fabric-chaincode-node'),
      ['server', '--chaincode-address', `127.0.0.1:${port}`, '--chaincode-id', 'careledger:1.0'],
      { cwd: packageDir, env: { ...process.env, CORE_CHAINCODE_LOGGING_LEVEL: 'warning' } },
    );
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const message = await retry(() => firstMessage(port), Date.now() + 30_000).catch((err: Error) => {
      throw new Error(`${err.message}; chaincode output:\n${output}`);
    });
    expect(message.getType()).toBe(peer.ChaincodeMessage.Type.REGISTER);
    expect(peer.ChaincodeID.deserializeBinary(message.getPayload_asU8()).getName()).toBe('careledger:1.0');
    expect(child.exitCode).toBeNull();
  });
});
