import { commands } from '../commands';
import type { CommandContext } from '../commands/command';
import { UsageError } from '@careledger/fabric-toolkit';

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WriteStream;
  readonly signal: AbortSignal;
}

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: careledger-sim <command> [options]   (npm run bench / npm run simulate)',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run a command with --help for its options.',
  ].join('\n');
}

/**
 * Runs the command named by argv[0] and resolves to the exit status: the command's own,
 * 2 on a usage error (message and usage on stderr), 1 on any other error.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(`${overview()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`unknown command '${name}'\n\n${overview()}\n`);
    return 2;
  }
  const context: CommandContext = {
    args,
    stdout: io.stdout,
    stderr: io.stderr,
    signal: io.signal,
    log: (message) => io.stderr.write(`[${command.name}] ${message}\n`),
  };
  try {
    return await command.run(context);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.stderr.write(`${(error as Error).message}\n\n${command.usage}\n`);
      return 2;
    }
    io.stderr.write(`${command.name} failed: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}
