import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The build the gateway serves (docs/adr/0046-console.md): index.html plus content-hashed files
// under assets/, no inline scripts or styles (the gateway's Content-Security-Policy allows only
// 'self'), no source maps in the shipped jar.
// `npm run dev` answers the console's configuration itself (the gateway does in production), so
// that the dev server (http://127.0.0.1:5173, a redirect URI of the local realm) signs in through
// the local Keycloak.
function devConfig(): Plugin {
  const body = JSON.stringify({
    issuer: process.env.BERTH_ISSUER ?? 'http://127.0.0.1:8180/realms/berth',
    clientId: 'berth-console',
  });
  return {
    name: 'berth-dev-config',
    configureServer(server) {
      server.middlewares.use('/console/config.json', (_req, res) => {
        res.setHeader('Content-Type', 'application/json');
        res.end(body);
      });
    },
  };
}

export default defineConfig({
  plugins: [svelte(), devConfig()],
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
      '/api': process.env.BERTH_GATEWAY ?? 'http://127.0.0.1:5000',
    },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
