import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyStartFlags, configSchema, loadConfig } from './config';

describe('config', () => {
  it('documents every setting in the README, and nothing else', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'));
    const documented = [...table.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(configSchema.shape).sort());
  });

  it('documents each default as the schema has it', () => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const defaults = loadConfig({});
    for (const m of readme.matchAll(/^\| `([A-Z_]+)` \| `([^`]*)` \|/gm)) {
      expect([m[1], String(defaults[m[1] as keyof typeof defaults])]).toEqual([m[1], m[2]]);
    }
  });

  it('applies defaults and refuses bad values with every problem listed', () => {
    expect(loadConfig({})).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', RETRY_ATTEMPTS: 3 });
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'loud' })).toThrow(/PORT[\s\S]*LOG_LEVEL/);
    expect(() => loadConfig({ JWT_JWKS_URL: 'not a url' })).toThrow(/JWT_JWKS_URL/);
    expect(() => loadConfig({ COMMIT_TIMEOUT_MS: '0' })).toThrow(/COMMIT_TIMEOUT_MS/);
  });

  it('needs both JWT organisation and user claims, or neither', () => {
    expect(() => loadConfig({ JWT_ORG_CLAIM: 'org' })).toThrow(/JWT_ORG_CLAIM and JWT_USER_CLAIM/);
    expect(loadConfig({ JWT_ORG_CLAIM: 'org', JWT_USER_CLAIM: 'sub' })).toMatchObject({
      JWT_USER_CLAIM: 'sub',
    });
  });
});

describe('applyStartFlags', () => {
  it('lays flags over the environment', () => {
    expect(
      applyStartFlags(['--connection', 'net.json', '--port=4000', '--data-dir', 'd'], {
        PORT: '1',
        HOST: 'h',
      }),
    ).toEqual({ PORT: '4000', HOST: 'h', CARELEDGER_CONNECTION: 'net.json', CARELEDGER_DATA_DIR: 'd' });
  });

  it('refuses unknown flags and flags without a value', () => {
    expect(() => applyStartFlags(['--nope', 'x'], {})).toThrow(/unknown argument --nope/);
    expect(() => applyStartFlags(['positional'], {})).toThrow(/unknown argument/);
    expect(() => applyStartFlags(['--port'], {})).toThrow(/--port needs a value/);
    expect(() => applyStartFlags(['--port', '--host', 'x'], {})).toThrow(/--port needs a value/);
  });
});
