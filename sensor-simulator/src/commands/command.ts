/** What a command gets from the CLI: its arguments, output streams and a stop signal (Ctrl-C). */
export interface CommandContext {
  readonly args: readonly string[];
  /** Results. */
  readonly stdout: NodeJS.WritableStream;
  /** Logs and progress. */
  readonly stderr: NodeJS.WriteStream;
  readonly signal: AbortSignal;
  /** One line to stderr. */
  log: (message: string) => void;
}

/** A sub-command of the simulator CLI; registered in `commands/index.ts`. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /**
   * Runs the command and resolves to the process exit status.
   * @throws UsageError on a bad command line (the CLI exits 2).
   */
  run(context: CommandContext): Promise<number>;
}
