import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

// Served by the Plinth server at /console; the API is the same origin's /v1.
export default defineConfig({
  base: '/console/',
  plugins: [svelte()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    // The console SDK is one module, so every service the pages use sits in the first chunk
    // (about 110 KB gzip in all); pages themselves may load later. Warn past that.
    chunkSizeWarningLimit: 550,
  },
  server: {
    // `npm run dev` in console/ against a server on the default port.
    proxy: { '/v1': { target: 'http://localhost:8080', ws: true } },
  },
});
