import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';
import { noWebTransport } from './plugins/noWebTransport.ts';

// The signaling server the dev server forwards socket.io to (`pnpm --filter @meshmeet/signaling dev`).
const signalingTarget = process.env.MESHMEET_SIGNALING_URL ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [vue(), noWebTransport()],
  // Every component is <script setup>: without the Options API, Vue's runtime is smaller. The
  // other two are Vue's production defaults, stated so that no plugin turns them back on.
  define: { __VUE_OPTIONS_API__: 'false', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' },
  // One chunk, so there is nothing to preload: the module-preload polyfill would be dead weight.
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', modulePreload: { polyfill: false } },
  server: {
    proxy: { '/socket.io': { target: signalingTarget, ws: true, changeOrigin: true } },
  },
  test: { include: ['src/**/*.test.ts', 'plugins/**/*.test.ts'], environment: 'node' },
});
