import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The build the gateway serves (docs/adr/0046-console.md): index.html plus content-hashed files
// under assets/, no inline scripts or styles (the gateway's Content-Security-Policy allows only
// 'self'), no source maps in the shipped jar.
export default defineConfig({
  plugins: [svelte()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
    target: 'es2022',
    modulePreload: { polyfill: false },
  },
  server: {
    host: '127.0.0.1',
    // `npm run dev` beside ./berth up: the APIs are the gateway's.
    proxy: {
      '/api': 'http://127.0.0.1:5000',
      '/console/config.json': 'http://127.0.0.1:5000',
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
