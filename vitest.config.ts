import { defineConfig } from 'vitest/config';

// One place for the suite's settings. Two projects:
// - unit: pure code and file-based tests, run in parallel;
// - lab: tests that build real namespaces and run real nmap and libpcap. They run one file at a
//   time, because `lab down --all` is tested too and must not meet another test's lab.
// Timeouts are generous because lab work is real work; tests never assert a time.
const shared = {
  testTimeout: 180_000,
  hookTimeout: 180_000,
  env: { FORCE_COLOR: '0', NO_COLOR: '1' },
};
const LAB_TESTS = ['test/lab/**/*.test.ts', 'test/engine/**/*.test.ts', 'test/e2e/**/*.test.ts'];

export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      { test: { ...shared, name: 'unit', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], exclude: LAB_TESTS } },
      { test: { ...shared, name: 'lab', include: LAB_TESTS, fileParallelism: false } },
    ],
  },
});
