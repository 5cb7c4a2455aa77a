/** Jest runs in native ESM mode: NestJS 12 packages are ESM-only (see ../shared/notes/toolchain.md). */
const common = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/test'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'mts', 'js', 'mjs', 'json'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.m?js$': '$1' },
  transform: {
    '^.+\\.m?ts$': [
      'ts-jest',
      {
        useESM: true,
        tsconfig: {
          module: 'esnext',
          moduleResolution: 'bundler',
          target: 'ES2022',
          emitDecoratorMetadata: true,
          experimentalDecorators: true,
          esModuleInterop: true,
          allowSyntheticDefaultImports: true,
          resolveJsonModule: true,
          strict: true,
          isolatedModules: true,
          strictPropertyInitialization: false,
          skipLibCheck: true,
        },
      },
    ],
  },
};

/**
 * Two projects, both run by `npm test`: `unit` (*.spec.ts) never has a database; `e2e`
 * (*.e2e-spec.ts) gets one PostgreSQL server from its global set-up (test/kit/database.ts gives
 * each file its own database on it), and every answer of the app is checked against the served
 * OpenAPI document. `jest --selectProjects unit` runs the fast half alone.
 */
export default {
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.spec.ts'] },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['**/*.e2e-spec.ts'],
      // Fails a test whose app answered anything the served OpenAPI document does not describe.
      setupFilesAfterEnv: ['<rootDir>/test/setup/openapi-responses.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.mjs',
      globalTeardown: '<rootDir>/test/setup/global-teardown.mjs',
    },
  ],
};
