/**
 * The embedded network, loaded only when it is asked for: a gateway that runs against a real
 * Fabric network never loads the emulator (nor its LevelDB native module).
 */
import type * as EmbeddedStart from './embedded/embedded-network';
import type * as EmbeddedSpawn from './embedded/spawn-embedded-network';

export type { EmbeddedNetwork } from './embedded/embedded-network';
export type { EmbeddedNetworkProcess, NewIdentity } from './embedded/spawn-embedded-network';

/** Starts CareLedger's embedded network in this process (see `embedded/embedded-network.ts`). */
export function startEmbeddedNetwork(
  ...args: Parameters<typeof EmbeddedStart.startEmbeddedNetwork>
): ReturnType<typeof EmbeddedStart.startEmbeddedNetwork> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startEmbeddedNetwork: start } = require('./embedded/embedded-network') as typeof EmbeddedStart;
  return start(...args);
}

/** Starts CareLedger's embedded network in a child process (see `embedded/spawn-embedded-network.ts`). */
export function spawnEmbeddedNetwork(
  ...args: Parameters<typeof EmbeddedSpawn.spawnEmbeddedNetwork>
): ReturnType<typeof EmbeddedSpawn.spawnEmbeddedNetwork> {
  const { spawnEmbeddedNetwork: spawn } =
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('./embedded/spawn-embedded-network') as typeof EmbeddedSpawn;
  return spawn(...args);
}
