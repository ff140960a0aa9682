import { benchCommand } from './bench';
import type { Command } from './command';
import { faultsCommand } from './faults';
import { simulateCommand } from './simulate';

/** Every sub-command of the CLI, by name. */
export const commands: readonly Command[] = [benchCommand, simulateCommand, faultsCommand];
