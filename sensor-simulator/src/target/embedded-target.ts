import type { BenchTarget } from './bench-target';

export interface EmbeddedTargetOptions {
  readonly log: (message: string) => void;
}

/**
 * Starts the embedded network and the REST gateway in this process, for one run.
 * @throws Error while `@careledger/devnet` cannot start a network (see README: not yet wired).
 */
export async function startEmbeddedTarget(_options: Readonly<EmbeddedTargetOptions>): Promise<BenchTarget> {
  throw new Error(
    'the embedded network is not available yet: give --url (and --api-key / --devices) or --connection',
  );
}
