import { Shim } from 'fabric-shim';

type WinstonLogger = ReturnType<typeof Shim.newLogger>;
type Write = (this: WinstonLogger, chunk: unknown, ...rest: unknown[]) => boolean;

const patched = Symbol.for('careledger.shimLogging.dropsDisabledLines');

/**
 * Drops a log line of fabric-shim's (and fabric-contract-api's) winston loggers before it is
 * formatted when no transport would write it. winston's level methods (`logger.debug(…)`) do not
 * check the level: every line goes through the shim's format (timestamp, metadata, colours,
 * padding) and only the transport discards it. The shim logs a few debug lines per message it
 * exchanges with the peer, so at the default WARNING level about a fifth of a signed batch's
 * chaincode CPU went to lines nobody saw. What is written is unchanged, and a level set later
 * (`CORE_CHAINCODE_LOGGING_LEVEL`, a logger's `level`) still applies: the check runs per line.
 * Idempotent.
 */
export function dropDisabledShimLogLines(): void {
  // All of them share winston's Logger.prototype: the shim's own logger reaches it without
  // importing winston, which is the shim's dependency rather than this package's.
  const derived = Object.getPrototypeOf(Shim.newLogger('lib/handler.js')) as object;
  const base = Object.getPrototypeOf(derived) as WinstonLogger & { write: Write; [patched]?: true };
  if (base[patched]) return;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with each logger as `this`
  const write = base.write;
  base.write = function (this: WinstonLogger, chunk: unknown, ...rest: unknown[]): boolean {
    const level = (chunk as { level?: unknown } | undefined)?.level;
    if (typeof level === 'string' && level in this.levels && !this.isLevelEnabled(level)) return true;
    return write.call(this, chunk, ...rest);
  };
  base[patched] = true;
}
