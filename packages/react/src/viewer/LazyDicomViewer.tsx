import type { ViewerAnnotation, ViewerSeries, ViewerTool } from '@pacskit/viewer';
import { lazy, Suspense } from 'react';
import { PacsErrorBoundary } from '../common/PacsErrorBoundary.js';
import { LoadingState } from '../common/StatusMessage.js';
import { usePacsContext } from '../provider/pacsContext.js';
import { usePacsI18n } from '../provider/usePacs.js';

const toolbarKeys = [
  'windowLevel',
  'zoom',
  'pan',
  'stackScroll',
  'length',
  'angle',
  'ellipticalRoi',
  'rectangleRoi',
  'probe',
  'arrowAnnotate',
  'label',
  'invert',
  'flipHorizontal',
  'flipVertical',
  'rotate',
  'cine',
  'reset',
  'presets',
  'openFiles',
  'toolbar',
] as const;

/** The viewer's own texts, translated with the provider's messages. */
interface ViewerTexts {
  toolbar: Partial<Record<(typeof toolbarKeys)[number], string>>;
  empty: string;
  loading: string;
  retry: string;
}

export interface LazyDicomViewerProps {
  series: readonly ViewerSeries[];
  /** Patient mode: scroll, zoom and brightness/contrast only; no measurement tools, no local files. */
  simplified?: boolean;
  /** Headers for every image request (e.g. the host's `Authorization`). */
  requestHeaders?: (
    url: string,
  ) => Record<string, string> | undefined | Promise<Record<string, string> | undefined>;
  /** Controlled annotations (e.g. from `useViewerAnnotations`, saved in the archive). */
  annotations?: readonly ViewerAnnotation[];
  onAnnotationsChange?: (annotations: ViewerAnnotation[]) => void;
  'aria-label'?: string;
}

interface ViewerPanelProps extends LazyDicomViewerProps {
  texts: ViewerTexts;
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
      texts,
      annotations,
      onAnnotationsChange,
      'aria-label': label,
    }: ViewerPanelProps) {
      return (
        <DicomViewer.Root
          series={series}
          allowLocalFiles={!simplified}
          defaultTool={simplified ? 'stackScroll' : 'windowLevel'}
          {...(requestHeaders ? { requestHeaders } : {})}
          {...(annotations ? { annotations } : {})}
          {...(onAnnotationsChange ? { onAnnotationsChange } : {})}
          {...(label ? { 'aria-label': label } : {})}
        >
          <DicomViewer.Toolbar
            labels={texts.toolbar}
            {...(simplified ? { tools: simplifiedTools, actions: false } : {})}
          />
          {simplified || series.length < 2 ? null : <DicomViewer.SeriesBrowser />}
          <DicomViewer.Viewport emptyText={texts.empty} loadingText={texts.loading} retryText={texts.retry} />
        </DicomViewer.Root>
      );
    },
  })),
);

export function LazyDicomViewer(props: LazyDicomViewerProps) {
  const { t } = usePacsI18n();
  const { getAccessToken } = usePacsContext('LazyDicomViewer');
  const texts: ViewerTexts = {
    toolbar: Object.fromEntries(toolbarKeys.map((key) => [key, t(`viewerTool.${key}`)])),
    empty: t('viewer.empty'),
    loading: t('viewer.loadingImages'),
    retry: t('state.retry'),
  };
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
          texts={texts}
          {...(requestHeaders ? { requestHeaders } : {})}
          aria-label={props['aria-label'] ?? t('viewer.label')}
        />
      </Suspense>
    </PacsErrorBoundary>
  );
}
