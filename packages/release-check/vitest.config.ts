import { defineConfig } from 'vitest/config';

// One file, one fork: the packed-install test runs its steps in order against one project.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 120_000, pool: 'forks' },
});
