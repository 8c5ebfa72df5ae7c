import { createRequire } from 'node:module';
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { pacskitTestConfig } from '../../scripts/vitest-preset.ts';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

// Debian's Chromium (FACTS.md): Playwright downloads no browser here.
const chromium = playwright({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  },
});

/**
 * Serves packages/viewer/fixtures at /dicom, as .storybook/main.ts `staticDirs` does for Storybook
 * (the Vitest runs, stories included, do not get Storybook's static dirs).
 */
function serveDicomFixtures(): Plugin {
  const fixtures = join(here, 'fixtures');
  const serve = (url: string | undefined, response: ServerResponse): void => {
    const path = normalize(join(fixtures, decodeURIComponent((url ?? '/').split('?')[0] ?? '/')));
    if (!path.startsWith(fixtures) || !existsSync(path) || !statSync(path).isFile()) {
      response.statusCode = 404;
      response.end('not found');
      return;
    }
    response.setHeader('Content-Type', path.endsWith('.json') ? 'application/json' : 'application/dicom');
    response.end(readFileSync(path));
  };
  return {
    name: 'pacs-serve-dicom-fixtures',
    configureServer(server) {
      // The same files behind a bearer token, to test that a viewer's requestHeaders reach every
      // image request (and that a missing token surfaces as UNAUTHENTICATED).
      server.middlewares.use('/dicom-auth', (request, response) => {
        if (request.headers.authorization !== 'Bearer fixture-token') {
          response.statusCode = 401;
          response.end('unauthenticated');
          return;
        }
        serve(request.url, response);
      });
      server.middlewares.use('/dicom', (request, response) => serve(request.url, response));
    },
  };
}

const loader = '@cornerstonejs/dicom-image-loader';
// Cornerstone3D in Vite (FACTS.md): codec entries pre-bundled in pnpm's nested form, `events` aliased.
const cornerstoneVite = {
  optimizeDeps: {
    include: [
      `${loader} > @cornerstonejs/codec-charls/decodewasmjs`,
      `${loader} > @cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs`,
      `${loader} > @cornerstonejs/codec-openjpeg/decodewasmjs`,
      `${loader} > @cornerstonejs/codec-openjph/wasmjs`,
      `${loader} > @cornerstonejs/codec-libjxl/decodewasmjs`,
      `${loader} > dicom-parser`,
      '@cornerstonejs/core',
      '@cornerstonejs/tools',
      loader,
      'react',
      'react-dom',
      'react-dom/client',
      'react/jsx-dev-runtime',
    ],
  },
  worker: { format: 'es' as const },
};

const preset = pacskitTestConfig();

export default defineConfig({
  ...preset,
  // Run from the repo root (see the `test` script): @storybook/addon-vitest resolves the stories globs
  // of .storybook/main.ts against process.cwd().
  root: here,
  plugins: [react(), serveDicomFixtures()],
  resolve: { ...preset.resolve, alias: { events: require.resolve('events/') } },
  test: {
    ...preset.test,
    // Cornerstone 5.14 leaves a failed request's XMLHttpRequest as an unhandled rejection (no
    // message, no stack once serialised) although the viewer already reported the error. Ignore
    // exactly that, where a test provokes failed requests on purpose (401s, the 404 "Error" story).
    onUnhandledError: (error) => {
      const record = error as { message?: unknown; VITEST_TEST_PATH?: unknown; VITEST_TEST_NAME?: unknown };
      const path = String(record.VITEST_TEST_PATH ?? '');
      const provoked =
        path.endsWith('/auth.browser.test.tsx') ||
        (path.endsWith('/DicomViewer.stories.tsx') && record.VITEST_TEST_NAME === 'Error');
      return !(provoked && (record.message === undefined || record.message === ''));
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'jsdom',
          include: ['src/**/*.test.{ts,tsx}'],
          exclude: ['src/**/*.browser.test.{ts,tsx}'],
          setupFiles: ['./test/setupUnit.ts'],
        },
      },
      {
        extends: true,
        ...cornerstoneVite,
        server: { fs: { allow: [join(here, '../..')] } },
        test: {
          name: 'browser',
          include: ['src/**/*.browser.test.{ts,tsx}'],
          setupFiles: ['./test/setupBrowser.ts'],
          testTimeout: 60_000,
          browser: {
            enabled: true,
            screenshotFailures: false,
            provider: chromium,
            headless: true,
            instances: [{ browser: 'chromium' }],
            viewport: { width: 1024, height: 768 },
          },
        },
      },
      {
        extends: true,
        ...cornerstoneVite,
        // `pnpm bench` only: measured, never asserted, so not part of `test`.
        test: {
          name: 'bench',
          include: ['bench/**/*.bench.tsx'],
          setupFiles: ['./test/setupBrowser.ts'],
          browser: {
            enabled: true,
            screenshotFailures: false,
            provider: chromium,
            headless: true,
            instances: [{ browser: 'chromium' }],
          },
        },
      },
      {
        extends: true,
        // .storybook/main.ts brings the Cornerstone Vite settings (its Vite root is the repo root).
        worker: { format: 'es' },
        // Every story of the workspace (react's too) runs here, play functions and axe included.
        plugins: [storybookTest({ configDir: join(here, '../../.storybook') })],
        test: {
          name: 'storybook',
          testTimeout: 60_000,
          browser: {
            enabled: true,
            provider: chromium,
            headless: true,
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
