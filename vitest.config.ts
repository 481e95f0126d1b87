import { defineConfig } from 'vitest/config';

// One place for the suite's settings. Lab tests build real namespaces and run real nmap,
// so they get long timeouts; they never assert a time.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: lab tests are heavy, so files run at most two at a time.
    maxWorkers: 2,
    env: { FORCE_COLOR: '0', NO_COLOR: '1' },
  },
});
