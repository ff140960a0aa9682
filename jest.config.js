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
    project('e2e', '<rootDir>/test'),
  ],
};
