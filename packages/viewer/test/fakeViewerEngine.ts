import { vi } from 'vitest';
import type { CreateViewerEngine, ViewerEngine, ViewerEngineOptions } from '../src/viewerEngine.ts';

/** A stand-in for the Cornerstone engine under jsdom (no WebGL, no Worker there — FACTS.md). */
export interface FakeViewerEngine extends ViewerEngine {
  options: ViewerEngineOptions;
  showSeries: ReturnType<typeof vi.fn<ViewerEngine['showSeries']>>;
  setTool: ReturnType<typeof vi.fn<ViewerEngine['setTool']>>;
  run: ReturnType<typeof vi.fn<ViewerEngine['run']>>;
  applyPreset: ReturnType<typeof vi.fn<ViewerEngine['applyPreset']>>;
  setAnnotations: ReturnType<typeof vi.fn<ViewerEngine['setAnnotations']>>;
  addLocalFiles: ReturnType<typeof vi.fn<ViewerEngine['addLocalFiles']>>;
  destroy: ReturnType<typeof vi.fn<ViewerEngine['destroy']>>;
}

export function fakeEngineFactory(configure: (engine: FakeViewerEngine) => void = () => {}): {
  create: CreateViewerEngine;
  engines: FakeViewerEngine[];
} {
  const engines: FakeViewerEngine[] = [];
  const create: CreateViewerEngine = async (options) => {
    let fileCount = 0;
    const engine: FakeViewerEngine = {
      options,
      showSeries: vi.fn(async () => {
        options.onFirstImage();
      }),
      setTool: vi.fn(),
      run: vi.fn(),
      applyPreset: vi.fn(),
      setAnnotations: vi.fn(),
      getAnnotations: () => [],
      addLocalFiles: vi.fn((files: readonly File[]) => files.map(() => `dicomfile:${fileCount++}`)),
      resize: () => {},
      destroy: vi.fn(),
    };
    configure(engine);
    engines.push(engine);
    return engine;
  };
  return { create, engines };
}
