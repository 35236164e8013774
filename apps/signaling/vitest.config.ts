import { defineConfig } from 'vitest/config';

// The machine is shared and loaded: generous timeouts, never timing assertions.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    // CI's machine is shared: a test that failed runs once more there, and the summary names it.
    retry: process.env.CI ? 1 : 0,
    hookTimeout: 30_000,
  },
});
