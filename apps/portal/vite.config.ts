import { createRequire } from 'node:module';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const require = createRequire(import.meta.url);
const archive = process.env.PACSKIT_ARCHIVE_URL ?? 'http://127.0.0.1:8080';
// Cornerstone's decode worker imports its codecs; the dev server must pre-bundle them in pnpm's
// nested form or the worker dies silently and the viewport stays black (FACTS.md).
const loader = '@pacskit/viewer > @cornerstonejs/dicom-image-loader';

export default defineConfig({
  plugins: [react()],
  resolve: {
    // Workspace packages build from their ./src, like Storybook and the tests (STYLE.md).
    conditions: ['@pacskit/source', 'module', 'browser', 'development|production'],
    // vtk.js → xmlbuilder2 needs Node's `events` in the browser bundle (FACTS.md).
    alias: { events: require.resolve('events/') },
  },
  optimizeDeps: {
    include: [
      `${loader} > @cornerstonejs/codec-charls/decodewasmjs`,
      `${loader} > @cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs`,
      `${loader} > @cornerstonejs/codec-openjpeg/decodewasmjs`,
      `${loader} > @cornerstonejs/codec-openjph/wasmjs`,
      `${loader} > @cornerstonejs/codec-libjxl/decodewasmjs`,
      `${loader} > dicom-parser`,
    ],
  },
  worker: { format: 'es' },
  build: { outDir: 'dist', chunkSizeWarningLimit: 4096 },
  // `pnpm dev`: the archive stays the one origin the browser sees (no CORS).
  server: {
    host: '127.0.0.1',
    proxy: {
      '/dicom-web': archive,
      '/api': archive,
      '/wado': archive,
      '/orthanc': archive,
      '/portal-config.json': archive,
    },
  },
});
