import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerLogs } from './server-logs';

describe('ServerLogs', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'server-logs-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps each server’s lines in a file of its own next to the results', async () => {
    const logs = new ServerLogs(join(dir, 'bench-1'));
    logs.sink('gateway')('{"level":50,"msg":"request failed"}');
    logs.sink('devnet')('{"level":40,"msg":"slow block"}');
    logs.sink('gateway')('{"level":40,"msg":"retrying"}');
    await logs.close();
    expect(await readFile(join(dir, 'bench-1-gateway.log'), 'utf8')).toBe(
      '{"level":50,"msg":"request failed"}\n{"level":40,"msg":"retrying"}\n',
    );
    expect(await readFile(join(dir, 'bench-1-devnet.log'), 'utf8')).toBe('{"level":40,"msg":"slow block"}\n');
  });

  it('creates no file for a server that logged nothing, and drops lines without a stem', async () => {
    const logs = new ServerLogs(join(dir, 'bench-2'));
    logs.sink('devnet')('one line');
    await logs.close();
    expect(await readdir(dir)).toEqual(['bench-2-devnet.log']);

    const dropped = new ServerLogs(undefined);
    dropped.sink('gateway')('nowhere');
    await dropped.close();
    expect(dropped.path('gateway')).toBeUndefined();
    expect(await readdir(dir)).toEqual(['bench-2-devnet.log']);
  });
});
