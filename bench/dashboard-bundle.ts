// Dashboard bench (issue 7): the provider dashboard's initial JavaScript (gzip) without the viewer,
// the lazily loaded viewer chunk beside it, and the render time of a 10,000-row worklist (jsdom).
// Reports, never asserts. Run (tsx must compile the components' JSX with the react package's settings):
//   cd bench && TSX_TSCONFIG_PATH=../packages/react/tsconfig.json node --import tsx dashboard-bundle.ts
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const reactPackage = join(here, '../packages/react');
const requireFromReact = createRequire(join(reactPackage, 'package.json'));
const requireFromRoot = createRequire(join(here, '../package.json'));

interface OutputChunk {
  type: 'chunk' | 'asset';
  fileName: string;
  code?: string;
  source?: string | Uint8Array;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

async function measureBundle() {
  const { build } = (await import(requireFromRoot.resolve('vite'))) as typeof import('vite');
  const entryId = 'virtual:dashboard-entry';
  const entryCode = `
    import { createElement } from 'react';
    import { createRoot } from 'react-dom/client';
    import { PacsProvider, ProviderDashboard } from '@pacskit/react';
    import { createDicomwebAdapter } from '@pacskit/sdk';
    const client = createDicomwebAdapter({ baseUrl: '/dicom-web' });
    createRoot(document.getElementById('root')).render(
      createElement(PacsProvider, { client }, createElement(ProviderDashboard)),
    );
  `;
  let events: string | undefined;
  try {
    events = requireFromRoot.resolve('events/');
  } catch {
    events = undefined;
  }
  const started = performance.now();
  const result = await build({
    root: reactPackage,
    logLevel: 'silent',
    configFile: false,
    mode: 'production',
    resolve: {
      conditions: ['@pacskit/source', 'module', 'browser', 'production'],
      alias: { '@pacskit/react': join(reactPackage, 'src/index.ts'), ...(events ? { events } : {}) },
    },
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [
      {
        name: 'dashboard-entry',
        resolveId: (id: string) => (id === entryId ? `\0${entryId}` : undefined),
        load: (id: string) => (id === `\0${entryId}` ? entryCode : undefined),
      },
    ],
    build: { write: false, minify: true, rollupOptions: { input: entryId }, chunkSizeWarningLimit: 100_000 },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as unknown as { output: OutputChunk[] }[];
  const chunks = outputs.flatMap((output) => output.output).filter((chunk) => chunk.type === 'chunk');
  const byName = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const gzip = (chunk: OutputChunk) => gzipSync(chunk.code ?? '').length;
  const initial = new Set<string>();
  const visit = (fileName: string) => {
    if (initial.has(fileName)) return;
    initial.add(fileName);
    for (const imported of byName.get(fileName)?.imports ?? []) visit(imported);
  };
  for (const chunk of chunks) if (chunk.isEntry) visit(chunk.fileName);
  const initialGzip = [...initial].reduce((total, name) => total + gzip(byName.get(name)!), 0);
  const lazy = chunks.filter((chunk) => !initial.has(chunk.fileName));
  const lazyGzip = lazy.reduce((total, chunk) => total + gzip(chunk), 0);
  const initialCode = [...initial].map((name) => byName.get(name)?.code ?? '').join('\n');
  return {
    buildSeconds: Math.round((performance.now() - started) / 100) / 10,
    initialJsGzipKb: Math.round(initialGzip / 102.4) / 10,
    initialChunks: initial.size,
    lazyJsGzipKb: Math.round(lazyGzip / 102.4) / 10,
    lazyChunks: lazy.length,
    initialContainsCornerstone: /cornerstone/i.test(initialCode),
  };
}

async function measureWorklistRender(rows: number) {
  const { JSDOM } = requireFromReact('jsdom') as typeof import('jsdom');
  const dom = new JSDOM('<!doctype html><div id="root"></div>', { pretendToBeVisual: true });
  const globals = globalThis as Record<string, unknown>;
  for (const key of [
    'window',
    'document',
    'navigator',
    'HTMLElement',
    'Element',
    'Node',
    'Event',
    'KeyboardEvent',
    'MutationObserver',
    'getComputedStyle',
    'requestAnimationFrame',
    'cancelAnimationFrame',
  ]) {
    globals[key] = (dom.window as unknown as Record<string, unknown>)[key];
  }
  globals.IS_REACT_ACT_ENVIRONMENT = false;
  // jsdom does no layout: give the virtualized scroll area a size, as the unit tests do.
  Object.defineProperty(dom.window.HTMLElement.prototype, 'clientHeight', {
    get(this: HTMLElement) {
      return this.classList.contains('pacs-viewport') ? 600 : 0;
    },
  });
  const React = requireFromReact('react') as typeof import('react');
  const { createRoot } = requireFromReact('react-dom/client') as typeof import('react-dom/client');
  const { flushSync } = requireFromReact('react-dom') as typeof import('react-dom');
  const { PacsProvider, Worklist } = await import('../packages/react/src/index.js');
  const { createFixtureAdapter, createFixtureWorkflow } = await import(
    '../packages/react/src/testing/index.js'
  );
  const workflow = createFixtureWorkflow({ orderCount: rows });
  // Every order, not only the waiting ones the worklist endpoint returns: 10,000 rows to sort and virtualize.
  const orders = [...workflow.orderList];
  const client = createFixtureAdapter();
  const times: number[] = [];
  for (let run = 0; run < 5; run++) {
    const container = dom.window.document.createElement('div');
    dom.window.document.body.append(container);
    const root = createRoot(container);
    const started = performance.now();
    flushSync(() =>
      root.render(
        React.createElement(
          PacsProvider,
          { client, workflow },
          React.createElement(Worklist.Root, { orders }),
        ),
      ),
    );
    times.push(performance.now() - started);
    const rendered = container.querySelectorAll('tr.pacs-row').length;
    if (run === 0) process.stdout.write(`worklist: ${orders.length} orders, ${rendered} rows in the DOM\n`);
    root.unmount();
    container.remove();
  }
  times.sort((a, b) => a - b);
  return { rows: orders.length, firstRenderMs: Math.round(times[0]!), medianRenderMs: Math.round(times[2]!) };
}

const bundle = await measureBundle();
process.stdout.write(`dashboard bundle: ${JSON.stringify(bundle)}\n`);
const worklist = await measureWorklistRender(10_000);
process.stdout.write(`worklist render: ${JSON.stringify(worklist)}\n`);
