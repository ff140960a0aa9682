import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '..');

/** The files a fresh Node process has loaded after requiring `modules` (as `npm start` loads them). */
function loadedAfter(modules: readonly string[]): string[] {
  const script = `${modules.map((m) => `require(${JSON.stringify(resolve(root, m))});`).join('')}
process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
    cwd: root,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as string[];
}

// LevelDB is not the emulator's alone: the gateway keeps its intake of asynchronous readings in it.
const emulator = (file: string) => /network[\\/]devnet[\\/]|fabric-shim/.test(file);

describe('what the REST gateway loads', () => {
  it('never loads the embedded network (nor fabric-shim) against a real network', () => {
    const loaded = loadedAfter(['gateway-api/src/index.ts', 'gateway-api/src/gateway-server.ts']);
    expect(loaded.some((f) => f.includes('gateway-api'))).toBe(true);
    expect(loaded.filter(emulator)).toEqual([]);
  });

  it('loads it when it starts the embedded network', () => {
    const loaded = loadedAfter(['gateway-api/src/embedded/embedded-network.ts']);
    expect(loaded.some(emulator)).toBe(true);
  });
});
