// One Storybook for every UI package (DESIGN.md). Stories live next to their components.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { StorybookConfig } from '@storybook/react-vite';

const require = createRequire(import.meta.url);

/**
 * Cornerstone3D's decode worker imports these codecs; the dev server must pre-bundle them in pnpm's
 * nested form or the worker dies silently and the viewport stays black (FACTS.md). The first segment
 * must resolve from Vite's root: the repo root (storybook dev) or packages/viewer (addon-vitest).
 */
function cornerstoneOptimizeDeps(root: string): string[] {
  const fromRoot = createRequire(join(root, 'package.json'));
  const canResolve = (id: string): boolean => {
    try {
      fromRoot.resolve(`${id}/package.json`);
      return true;
    } catch {
      return false;
    }
  };
  const loader = canResolve('@cornerstonejs/dicom-image-loader')
    ? '@cornerstonejs/dicom-image-loader'
    : canResolve('@pacskit/viewer')
      ? '@pacskit/viewer > @cornerstonejs/dicom-image-loader'
      : undefined;
  if (loader === undefined) return [];
  return [
    `${loader} > @cornerstonejs/codec-charls/decodewasmjs`,
    `${loader} > @cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs`,
    `${loader} > @cornerstonejs/codec-openjpeg/decodewasmjs`,
    `${loader} > @cornerstonejs/codec-openjph/wasmjs`,
    `${loader} > @cornerstonejs/codec-libjxl/decodewasmjs`,
    `${loader} > dicom-parser`,
  ];
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
    return mergeConfig(viteConfig, {
      resolve: {
        // Workspace packages resolve to ./src, so Storybook needs no build (STYLE.md).
        conditions: ['@pacskit/source', 'module', 'browser', 'development|production'],
        // vtk.js → xmlbuilder2 needs Node's `events` in the browser bundle (FACTS.md).
        alias: { events: require.resolve('events/') },
      },
      optimizeDeps: { include: cornerstoneOptimizeDeps(viteConfig.root ?? process.cwd()) },
      worker: { format: 'es' },
      build: { chunkSizeWarningLimit: 4096 },
    });
  },
};

export default config;
