// One jest project per source folder (test/<folder> mirrors <folder>), all sharing one transform.
const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // @middy/* ships ESM only (transform it, point jest at its entry file); so is the English locale
  // of zod that core/zod-locale.ts imports by path.
  transformIgnorePatterns: ['/node_modules/(?!@middy/|zod/v4/(locales|core)/)'],
  moduleNameMapper: { '^@middy/(core|util)$': '<rootDir>/node_modules/@middy/$1/index.js' },
  setupFiles: ['<rootDir>/test/setup-env.ts'],
};
const folders = [
  'core',
  'aws',
  'ops',
  'functions',
  'statemachines',
  'infra',
  'local',
  'cli',
  'chaos',
  'bench',
  'e2e',
];
module.exports = {
  reporters: ['default', '<rootDir>/test/support/summary-reporter.cjs'],
  projects: folders.map((folder) => ({
    ...shared,
    displayName: folder,
    rootDir: __dirname,
    testMatch: [`<rootDir>/test/${folder}/**/*.test.ts`],
  })),
};
