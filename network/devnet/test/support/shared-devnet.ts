import type { ConnectionFile } from '@careledger/fabric-toolkit';
import {
  connectAs,
  removeDir,
  startTestDevnet,
  type ConnectedClient,
  type TestDevnet,
  type TestDevnetOptions,
} from './fabric-client';

/** The devnet that the tests of one describe block share. */
export interface SharedDevnet {
  /** The running devnet's connection file (once the block's beforeAll has run). */
  readonly connection: ConnectionFile;
  readonly dataDir: string;
  /** Connects as an identity of the connection file; the client is closed after the block. */
  connect(name: string, override?: Parameters<typeof connectAs>[2]): Promise<ConnectedClient>;
}

/**
 * TEST HELPER: starts a devnet before the tests of the enclosing describe block and, after them,
 * closes the clients `connect` opened, stops the devnet and removes its data directory.
 */
export function sharedDevnet(options: TestDevnetOptions = {}): SharedDevnet {
  let devnet: TestDevnet | undefined;
  const clients: ConnectedClient[] = [];
  const started = (): TestDevnet => {
    if (devnet === undefined) throw new Error('sharedDevnet: the devnet has not started');
    return devnet;
  };

  beforeAll(async () => {
    devnet = await startTestDevnet(options);
  }, 60_000);

  afterAll(async () => {
    for (const client of clients) client.close();
    await devnet?.stop();
    await removeDir(devnet?.dataDir);
  });

  return {
    get connection() {
      return started().connection;
    },
    get dataDir() {
      return started().dataDir;
    },
    async connect(name, override) {
      const client = await connectAs(started().connection, name, override);
      clients.push(client);
      return client;
    },
  };
}
