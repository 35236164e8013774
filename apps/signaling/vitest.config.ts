import { defineConfig } from 'vitest/config';

// The machine is shared and loaded: generous timeouts, never timing assertions.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
