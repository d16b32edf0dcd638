import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

// `npm run dev` serves the UI with hot reload and forwards the API to a
// running server (make run): MIS_SERVER=http://127.0.0.1:8043 npm run dev.
// The Host header is passed unchanged (no changeOrigin), so the server's
// same-origin check sees the dev server's origin on both sides.
const server = process.env.MIS_SERVER ?? 'http://127.0.0.1:8042';
const forwarded = ['/api', '/series', '/studies', '/patients', '/instances', '/dicom-web'];

export default defineConfig({
  // The plugin serves frontend/dist under /ui/ (nginx does the same in Docker).
  base: '/ui/',
  plugins: [svelte()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // One small bundle: no need to split.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: Object.fromEntries(forwarded.map((path) => [path, { target: server }])),
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
