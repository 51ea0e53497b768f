import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes `.gz` and `.br` next to each text asset at build time: the server sends them to browsers that
 * accept them (apps/server/src/editor.ts), so no request pays for compression and `bench` can report the
 * gzipped size users download.
 */
function precompress(outDir: string): Plugin {
  return {
    name: 'switchboard-precompress',
    apply: 'build',
    closeBundle() {
      const walk = (dir: string): string[] =>
        readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
        );
      for (const file of walk(outDir)) {
        if (!/\.(js|css|html|svg|json)$/.test(file)) continue;
        const body = readFileSync(file);
        writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
      }
    },
  };
}

// `npm start` serves the built files from the server; `pnpm --filter @switchboard/editor dev` proxies
// the API to a server on :3000 for hot reload while working on the editor.
export default defineConfig({
  plugins: [react(), precompress(join(import.meta.dirname, 'dist'))],
  resolve: { conditions: ['source'] },
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3000', '/healthz': 'http://127.0.0.1:3000' },
  },
});
