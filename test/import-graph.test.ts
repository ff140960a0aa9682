import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/*
 * The packages and which may import which (docs/architecture.md draws it). Test files and test
 * support may also use the emulator's test support; `test/` (cross-package scenarios) may use all.
 */
const root = resolve(__dirname, '..');

interface Package {
  readonly dir: string;
  readonly name: string;
  /** What its production code may import. */
  readonly may: readonly string[];
  /** What it may import only from the files `only` names (e.g. the embedded start-up). */
  readonly only?: { readonly pkg: string; readonly files: RegExp };
}

const packages: readonly Package[] = [
  { dir: 'contract', name: '@careledger/contract', may: [] },
  { dir: 'chaincode', name: '@careledger/chaincode', may: ['@careledger/contract'] },
  { dir: 'fabric-toolkit', name: '@careledger/fabric-toolkit', may: [] },
  { dir: 'network/devnet', name: '@careledger/devnet', may: ['@careledger/fabric-toolkit'] },
  {
    dir: 'gateway-api',
    name: '@careledger/gateway-api',
    may: ['@careledger/contract', '@careledger/fabric-toolkit'],
    only: { pkg: '@careledger/devnet', files: /^gateway-api\/src\/embedded\// },
  },
  {
    dir: 'sensor-simulator',
    name: '@careledger/sensor-simulator',
    may: ['@careledger/contract', '@careledger/fabric-toolkit', '@careledger/gateway-api'],
  },
  {
    dir: 'network/scripts',
    name: 'network scripts',
    may: ['@careledger/contract', '@careledger/fabric-toolkit'],
  },
];

const isTest = (file: string) => /\.test\.ts$|\/testing\/|\/test\//.test(file);
/** What tests of a package may import besides its own allowance. */
const testOnly = ['@careledger/devnet/testing', '@careledger/fabric-toolkit/testing'];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|js)$/.test(e.name) && !/node_modules|dist/.test(e.parentPath))
    .map((e) => relative(root, join(e.parentPath, e.name)));
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*|^import\s+)'([^']+)'/gm)];
  return specifiers.map((m) => m[1]!);
}

const packageOf = (file: string) =>
  packages.filter((p) => file.startsWith(`${p.dir}/`)).sort((a, b) => b.dir.length - a.dir.length)[0];

describe('the import graph', () => {
  const files = packages.flatMap((p) => sourceFiles(p.dir));

  it('has every workspace import only the packages it may', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const pkg = packageOf(file)!;
      for (const spec of importsOf(file).filter((s) => s.startsWith('@careledger/'))) {
        const base = spec.split('/').slice(0, 2).join('/');
        const allowed =
          pkg.may.includes(base) ||
          (pkg.only?.pkg === base && pkg.only.files.test(file)) ||
          (isTest(file) && testOnly.includes(spec));
        if (!allowed) wrong.push(`${file} imports ${spec}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has no relative import that leaves its package', () => {
    const crossing: string[] = [];
    for (const file of files) {
      const pkg = packageOf(file)!;
      for (const spec of importsOf(file).filter((s) => s.startsWith('.'))) {
        const target = relative(root, resolve(root, dirname(file), spec));
        if (packageOf(`${target}/x`) !== pkg && packageOf(target) !== pkg) crossing.push(`${file} → ${spec}`);
      }
    }
    expect(crossing).toEqual([]);
  });

  it('has every workspace declare the CareLedger packages it imports', () => {
    const undeclared: string[] = [];
    for (const pkg of packages.filter((p) => p.dir !== 'network/scripts')) {
      const manifest = JSON.parse(readFileSync(join(root, pkg.dir, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
      };
      const declared = new Set([
        ...Object.keys(manifest.dependencies ?? {}),
        ...Object.keys(manifest.devDependencies ?? {}),
      ]);
      const used = new Set(
        sourceFiles(pkg.dir)
          .flatMap(importsOf)
          .filter((s) => s.startsWith('@careledger/'))
          .map((s) => s.split('/').slice(0, 2).join('/')),
      );
      for (const name of used) if (!declared.has(name)) undeclared.push(`${pkg.dir} uses ${name}`);
    }
    expect(undeclared).toEqual([]);
  });
});
