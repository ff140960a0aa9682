// One jest run for the whole repository: a project per workspace plus the
// cross-package scenarios in test/.
const path = require('node:path');

const transform = [
  'ts-jest',
  {
    // Transpile only (fast); `npm run typecheck` type-checks. TypeScript's own emit keeps the
    // decorator metadata that fabric-contract-api needs.
    tsconfig: path.join(__dirname, 'tsconfig.jest.json'),
    diagnostics: false,
  },
];

const moduleNameMapper = {
  '^@careledger/contract$': '<rootDir>/../contract/src/index.ts',
  '^@careledger/contract/assets$': '<rootDir>/../contract/src/assets/index.ts',
  '^@careledger/fabric-toolkit$': '<rootDir>/../fabric-toolkit/src/index.ts',
  '^@careledger/fabric-toolkit/testing$': '<rootDir>/../fabric-toolkit/src/testing/index.ts',
  '^@careledger/devnet$': '<rootDir>/../network/devnet/src/index.ts',
  '^@careledger/devnet/testing$': '<rootDir>/../network/devnet/src/testing/index.ts',
  '^@careledger/gateway-api$': '<rootDir>/../gateway-api/src/index.ts',
  '^@careledger/sensor-simulator$': '<rootDir>/../sensor-simulator/src/index.ts',
};

function project(name, rootDir, extra = {}) {
  return {
    displayName: name,
    rootDir,
    testEnvironment: 'node',
    transform: { '^.+\\.ts$': transform },
    moduleNameMapper: Object.fromEntries(
      Object.entries(moduleNameMapper).map(([k, v]) => [k, v.replace('<rootDir>/..', __dirname)]),
    ),
    testMatch: ['<rootDir>/**/*.test.ts'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    ...extra,
  };
}

/**
 * Lets a project's tests import npm packages published as ES modules only (an `exports` map with
 * only an `import` condition, which jest's CommonJS runtime can neither resolve nor load): each
 * resolves to its ESM entry, transpiled to CommonJS as the project's own TypeScript is.
 */
function esmPackages(names) {
  const pattern = names.join('|');
  const entry = (name) => {
    const dir = path.join(__dirname, 'node_modules', name);
    const manifest = JSON.parse(require('node:fs').readFileSync(path.join(dir, 'package.json'), 'utf8'));
    return path.join(dir, manifest.exports['.'].import);
  };
  return {
    transform: {
      '^.+\\.ts$': transform,
      [`/node_modules/(${pattern})/.+\\.js$`]: [
        'ts-jest',
        { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' }, diagnostics: false },
      ],
    },
    transformIgnorePatterns: [`/node_modules/(?!(${pattern})/)`],
    moduleNameMapper: {
      ...project('', '').moduleNameMapper,
      ...Object.fromEntries(names.map((name) => [`^${name}$`, entry(name)])),
    },
  };
}

module.exports = {
  // Jest's default is one worker less than the cores: a single worker on the 2-core machines this
  // runs on. Most suites wait on child processes (devnet, chaincode, shell scripts), so a worker per
  // core halves the run (about 100 s instead of 170–190 s here).
  maxWorkers: Math.max(2, require('node:os').availableParallelism()),
  projects: [
    project('contract', '<rootDir>/contract'),
    project('chaincode', '<rootDir>/chaincode', { setupFiles: ['<rootDir>/jest.setup.js'] }),
    project('fabric-toolkit', '<rootDir>/fabric-toolkit'),
    project('devnet', '<rootDir>/network/devnet'),
    project('gateway-api', '<rootDir>/gateway-api'),
    project('sensor-simulator', '<rootDir>/sensor-simulator'),
    project('e2e', '<rootDir>/test', esmPackages(['fhir-kit-client'])),
  ],
};
