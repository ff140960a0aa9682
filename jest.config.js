// One jest run for the whole repository: a project per workspace plus the
// cross-package scenarios in test/. swc is configured for the legacy
// decorators and metadata that fabric-contract-api needs; `npm run typecheck`
// does the type checking that swc skips.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const moduleNameMapper = {
  '^@careledger/chaincode$': '<rootDir>/../chaincode/src/api.ts',
  '^@careledger/devnet$': '<rootDir>/../network/devnet/src/index.ts',
  '^@careledger/gateway-api$': '<rootDir>/../gateway-api/src/index.ts',
  '^@careledger/sensor-simulator$': '<rootDir>/../sensor-simulator/src/index.ts',
};

function project(name, rootDir, extra = {}) {
  return {
    displayName: name,
    rootDir,
    testEnvironment: 'node',
    transform: { '^.+\\.ts$': swc },
    moduleNameMapper: Object.fromEntries(
      Object.entries(moduleNameMapper).map(([k, v]) => [k, v.replace('<rootDir>/..', __dirname)]),
    ),
    testMatch: ['<rootDir>/**/*.test.ts'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    ...extra,
  };
}

module.exports = {
  projects: [
    project('chaincode', '<rootDir>/chaincode', { setupFiles: ['<rootDir>/jest.setup.js'] }),
    project('devnet', '<rootDir>/network/devnet'),
    project('gateway-api', '<rootDir>/gateway-api'),
    project('sensor-simulator', '<rootDir>/sensor-simulator'),
    project('e2e', '<rootDir>/test'),
  ],
};
