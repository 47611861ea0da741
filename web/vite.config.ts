// Builds the dashboard (index.html) and the demo site (demo.html) into dist/web, which `nextbest serve`
// serves at / and /demo. Everything is bundled (ECharts included): no CDN, works offline.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: resolve(here, '../dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: { input: { index: resolve(here, 'index.html'), demo: resolve(here, 'demo.html') } },
  },
});
