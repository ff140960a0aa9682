import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema, loadConfig } from './config';

describe('config', () => {
  it('documents every setting in the README, and nothing else', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'));
    const documented = [...table.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(configSchema.shape).sort());
  });

  it('applies defaults and refuses bad values with every problem listed', () => {
    expect(loadConfig({})).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', RETRY_ATTEMPTS: 3 });
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'loud' })).toThrow(/PORT[\s\S]*LOG_LEVEL/);
  });
});
