import type { PacsErrorCode } from '@pacskit/dicom';
import { QueryClient } from '@tanstack/react-query';
import { type ReactNode, useMemo } from 'react';
import { PacsProvider } from '../provider/PacsProvider.js';
import type { PacsThemeMode } from '../provider/pacsContext.js';
import { createFixtureAdapter } from './createFixtureAdapter.js';
import { createFixtureWorkflow } from './createFixtureWorkflow.js';

/** The knobs every story exposes as controls. */
export interface FixtureKnobs {
  /** `data`, `empty`, `error` or `loading` for the archive. */
  mode?: 'data' | 'empty' | 'error' | 'loading';
  /** The same for the workflow API (defaults to `mode`). */
  workflowMode?: 'data' | 'empty' | 'error' | 'loading';
  errorCode?: PacsErrorCode;
  latencyMs?: number;
  /** Studies in the archive (long lists: 10,000). */
  studyCount?: number;
  /** Orders in the worklist (long lists: 10,000). */
  orderCount?: number;
  /** Federated mode with these source ids. */
  sources?: readonly string[];
  locale?: string;
  theme?: PacsThemeMode;
  /** Where the recorded Part 10 files are served, for the viewer (`/dicom/samples/` in Storybook). */
  imageBaseUrl?: string;
}

/**
 * A PacsProvider over the recorded fixture adapter and the in-memory workflow client: what the
 * stories, the tests and a demo need, with no server. Knob changes build fresh clients and cache.
 */
export function FixturePacsProvider({ children, ...knobs }: FixtureKnobs & { children?: ReactNode }) {
  const { mode, workflowMode, errorCode, latencyMs, studyCount, orderCount, imageBaseUrl } = knobs;
  const sourcesKey = knobs.sources?.join(',') ?? '';
  const { client, workflow, queryClient } = useMemo(() => {
    const sources = sourcesKey ? sourcesKey.split(',') : undefined;
    return {
      client: createFixtureAdapter({
        ...(mode ? { mode } : {}),
        ...(errorCode ? { errorCode } : {}),
        ...(latencyMs ? { latencyMs } : {}),
        ...(studyCount ? { studyCount } : {}),
        ...(sources ? { sources } : {}),
        ...(imageBaseUrl ? { imageBaseUrl } : {}),
      }),
      workflow: createFixtureWorkflow({
        ...((workflowMode ?? mode) ? { mode: workflowMode ?? mode } : {}),
        ...(errorCode ? { errorCode } : {}),
        ...(latencyMs ? { latencyMs } : {}),
        ...(orderCount ? { orderCount } : {}),
      }),
      queryClient: new QueryClient({ defaultOptions: { queries: { retry: false } } }),
    };
  }, [mode, workflowMode, errorCode, latencyMs, studyCount, orderCount, sourcesKey, imageBaseUrl]);
  return (
    <PacsProvider
      client={client}
      workflow={workflow}
      queryClient={queryClient}
      locale={knobs.locale ?? 'en'}
      theme={knobs.theme ?? 'light'}
    >
      {children}
    </PacsProvider>
  );
}
