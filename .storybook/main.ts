// One Storybook for every UI package (DESIGN.md). Stories live next to their components.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StorybookConfig } from '@storybook/react-vite';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));

/**
 * Cornerstone3D's decode worker imports these codecs; the dev server (and addon-vitest) must pre-bundle
 * them or the worker dies silently and the viewport stays black (FACTS.md). FACTS.md lists them in
 * pnpm's nested form, but Storybook's Vite root is the repo root, where @cornerstonejs/* does not
 * resolve; so each codec id is aliased to the file the viewer's loader resolves, then pre-bundled.
 */
const codecIds = [
  '@cornerstonejs/codec-charls/decodewasmjs',
  '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
  '@cornerstonejs/codec-openjpeg/decodewasmjs',
  '@cornerstonejs/codec-openjph/wasmjs',
  '@cornerstonejs/codec-libjxl/decodewasmjs',
  'dicom-parser',
];

function cornerstoneCodecs(): { aliases: Array<{ find: RegExp; replacement: string }>; include: string[] } {
  try {
    const fromViewer = createRequire(join(here, '../packages/viewer/package.json'));
    const fromLoader = createRequire(fromViewer.resolve('@cornerstonejs/dicom-image-loader/package.json'));
    const aliases = codecIds.map((id) => ({
      find: new RegExp(`^${id.replace(/[/.-]/g, '\\$&')}$`),
      replacement: fromLoader.resolve(id),
    }));
    return { aliases, include: codecIds };
  } catch {
    return { aliases: [], include: [] }; // the viewer is not installed: no DICOM stories to serve
  }
}

const config: StorybookConfig = {
  framework: { name: '@storybook/react-vite', options: {} },
  stories: ['../packages/*/src/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-docs', '@storybook/addon-a11y', '@storybook/addon-vitest'],
  // Real DICOM for the stories and browser tests: a generated CT phantom and pydicom samples,
  // served at /dicom (packages/viewer/scripts/make-fixtures.mjs writes them).
  staticDirs: [{ from: '../packages/viewer/fixtures', to: '/dicom' }],
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  async viteFinal(viteConfig) {
    const { mergeConfig } = await import('vite');
    const codecs = cornerstoneCodecs();
    return mergeConfig(viteConfig, {
      resolve: {
        // Workspace packages resolve to ./src, so Storybook needs no build (STYLE.md).
        conditions: ['@pacskit/source', 'module', 'browser', 'development|production'],
        // vtk.js → xmlbuilder2 needs Node's `events` in the browser bundle (FACTS.md).
        alias: [{ find: /^events$/, replacement: require.resolve('events/') }, ...codecs.aliases],
      },
      optimizeDeps: { include: codecs.include },
      worker: { format: 'es' },
      build: { chunkSizeWarningLimit: 4096 },
    });
  },
};

export default config;
