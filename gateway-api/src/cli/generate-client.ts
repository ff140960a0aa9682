import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { apiTypesFile, generateApiTypes } from '../client/generate-api-types';

/**
 * `npm run generate:client [-- --check] [--file PATH]`: write the typed client's types, or
 * check that they are current (exit 1 if not). A child process, not a module of the tests:
 * openapi-typescript needs ES modules, which Node loads and jest does not.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { check: { type: 'boolean' }, file: { type: 'string' } } });
  const path = values.file ?? join(__dirname, '..', '..', '..', apiTypesFile);
  const types = await generateApiTypes();
  if (values.check === true) {
    const current = readFileSync(path, 'utf8');
    if (current === types) return 0;
    process.stderr.write(`${path} is out of date: run npm run generate:client\n`);
    return 1;
  }
  writeFileSync(path, types);
  process.stdout.write(`wrote ${apiTypesFile}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
