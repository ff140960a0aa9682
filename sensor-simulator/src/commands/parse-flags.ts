import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { CommandContext } from './command';

type FlagOptions = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a command's flags (strict, no positional arguments). Returns undefined after writing
 * `usage` to stdout when the flags ask for help (-h, --help).
 * @throws TypeError (ERR_PARSE_ARGS_*) on an unknown flag or a missing value.
 */
export function parseFlags<const O extends FlagOptions>(context: CommandContext, options: O, usage: string) {
  const { values } = parseArgs({ args: [...context.args], options, strict: true, allowPositionals: false });
  if ((values as { help?: unknown }).help === true) {
    context.stdout.write(`${usage}\n`);
    return undefined;
  }
  return values;
}
