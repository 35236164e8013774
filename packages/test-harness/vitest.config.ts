import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts', 'netlab/**/*.test.ts'],
    // wrtc is a native addon: forks isolate it best. One file at a time: each integration test
    // runs real peer connections on a shared 2-core machine.
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    // CI's machine is shared: a test that failed runs once more there, and the summary names it.
    retry: process.env.CI ? 1 : 0,
    hookTimeout: 60_000,
  },
});
