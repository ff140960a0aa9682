import { Shim } from 'fabric-shim';
import { dropDisabledShimLogLines } from './shim-logging';

/** A logger of the shim whose format counts the lines it is given (and writes none). */
function countingLogger(name: string): { logger: ReturnType<typeof Shim.newLogger>; formatted: string[] } {
  const logger = Shim.newLogger(name);
  const formatted: string[] = [];
  logger.format = {
    transform: (info) => {
      formatted.push(String(info.message));
      return false;
    },
  };
  return { logger, formatted };
}

describe('dropDisabledShimLogLines', () => {
  it('formats no line below the level and every line at or above it', () => {
    dropDisabledShimLogLines();
    dropDisabledShimLogLines();
    const { logger, formatted } = countingLogger('shim-logging-test');
    logger.level = 'warn';
    logger.debug('a debug line');
    logger.info('an info line');
    logger.log('debug', 'a debug line with %s', 'a value');
    logger.warn('a warning');
    logger.error('an error');
    expect(formatted).toEqual(['a warning', 'an error']);
  });

  it('follows a level changed afterwards', () => {
    dropDisabledShimLogLines();
    const { logger, formatted } = countingLogger('shim-logging-level-test');
    logger.level = 'debug';
    logger.debug('now shown');
    logger.level = 'error';
    logger.warn('now hidden');
    expect(formatted).toEqual(['now shown']);
  });
});
