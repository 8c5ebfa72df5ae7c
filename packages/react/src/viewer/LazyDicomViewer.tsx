import type { ViewerSeries, ViewerTool } from '@pacskit/viewer';
import { lazy, Suspense } from 'react';
import { PacsErrorBoundary } from '../common/PacsErrorBoundary.js';
import { LoadingState } from '../common/StatusMessage.js';
import { usePacsContext } from '../provider/pacsContext.js';
import { usePacsI18n } from '../provider/usePacs.js';

export interface LazyDicomViewerProps {
  series: readonly ViewerSeries[];
  /** Patient mode: scroll, zoom and brightness/contrast only; no measurement tools, no local files. */
  simplified?: boolean;
  /** Headers for every image request (e.g. the host's `Authorization`). */
  requestHeaders?: (
    url: string,
  ) => Record<string, string> | undefined | Promise<Record<string, string> | undefined>;
  'aria-label'?: string;
}

const simplifiedTools: readonly ViewerTool[] = ['stackScroll', 'zoom', 'windowLevel'];

/**
 * @pacskit/viewer (and Cornerstone3D with it) is only downloaded when this component first renders:
 * `import()` inside React.lazy, so a dashboard without images never loads it.
 */
const ViewerPanel = lazy(() =>
  import('@pacskit/viewer').then(({ DicomViewer }) => ({
    default: function ViewerPanel({
      series,
      simplified,
      requestHeaders,
      'aria-label': label,
    }: LazyDicomViewerProps) {
      return (
        <DicomViewer.Root
          series={series}
          allowLocalFiles={!simplified}
          defaultTool={simplified ? 'stackScroll' : 'windowLevel'}
          {...(requestHeaders ? { requestHeaders } : {})}
          {...(label ? { 'aria-label': label } : {})}
        >
          <DicomViewer.Toolbar {...(simplified ? { tools: simplifiedTools, actions: false } : {})} />
          {simplified || series.length < 2 ? null : <DicomViewer.SeriesBrowser />}
          <DicomViewer.Viewport />
        </DicomViewer.Root>
      );
    },
  })),
);

export function LazyDicomViewer(props: LazyDicomViewerProps) {
  const { t } = usePacsI18n();
  const { getAccessToken } = usePacsContext('LazyDicomViewer');
  // The viewer fetches pixels itself; the host's token goes with every request (no lost auth headers).
  const requestHeaders =
    props.requestHeaders ??
    (getAccessToken
      ? async () => {
          const token = await getAccessToken();
          return token ? { Authorization: `Bearer ${token}` } : undefined;
        }
      : undefined);
  return (
    <PacsErrorBoundary>
      <Suspense fallback={<LoadingState label={t('viewer.loading')} />}>
        <ViewerPanel
          {...props}
          {...(requestHeaders ? { requestHeaders } : {})}
          aria-label={props['aria-label'] ?? t('viewer.label')}
        />
      </Suspense>
    </PacsErrorBoundary>
  );
}
