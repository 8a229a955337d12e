import optimizeLocales from '@react-aria/optimize-locales-plugin';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const serverPort = process.env.PORT ?? '3000';

export default defineConfig({
  root: 'client',
  // React Aria ships its built-in strings (e.g. "drag to reorder") in 34 languages; keep only the UI's two.
  plugins: [react(), optimizeLocales.vite({ locales: ['en', 'pl'] })],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
  },
  server: {
    port: 5173,
    proxy: {
      '/trpc': { target: `http://127.0.0.1:${serverPort}`, ws: true, changeOrigin: true },
      '/api': { target: `http://127.0.0.1:${serverPort}`, changeOrigin: true },
      '/healthz': { target: `http://127.0.0.1:${serverPort}`, changeOrigin: true },
    },
  },
  test: {
    root: '.',
    include: ['server/**/*.test.ts', 'shared/**/*.test.ts', 'client/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
