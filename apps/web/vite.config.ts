import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

// The signaling server the dev server forwards socket.io to (`pnpm --filter @meshmeet/signaling dev`).
const signalingTarget = process.env.MESHMEET_SIGNALING_URL ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [vue()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
  server: {
    proxy: { '/socket.io': { target: signalingTarget, ws: true, changeOrigin: true } },
  },
  test: { include: ['src/**/*.test.ts'], environment: 'node' },
});
