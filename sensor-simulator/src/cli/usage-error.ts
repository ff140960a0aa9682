/** A bad command line: the CLI prints the message and the usage, and exits with status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
