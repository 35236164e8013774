import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test-utils/**/*.test.ts'],
    // wrtc is a native addon: forks isolate it best. Files run one at a time because the
    // integration tests each open dozens of peer connections on a 2-core machine, and timing
    // contention there would only make them slower, not more thorough.
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    // CI's machine is shared: a test that failed runs once more there, and the summary names it.
    retry: process.env.CI ? 1 : 0,
    hookTimeout: 60_000,
  },
});
