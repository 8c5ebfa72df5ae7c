import {
  type DragEvent,
  type KeyboardEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';
import { useDicomViewerContext } from './dicomViewerContext.js';
import { commandForKey } from './keyboardShortcuts.js';
import { viewerToolLabels } from './viewerTool.js';

export interface DicomViewerViewportProps {
  /** Text shown when there is nothing to show (translatable). */
  emptyText?: ReactNode;
  loadingText?: ReactNode;
  retryText?: ReactNode;
  className?: string;
  children?: ReactNode;
}

/**
 * The image area: Cornerstone renders into it; it takes keyboard focus (shortcuts), mouse and touch
 * input (through the active tools) and dropped DICOM files.
 */
export function DicomViewerViewport(props: DicomViewerViewportProps): ReactNode {
  const context = useDicomViewerContext('Viewport');
  const { attachElement, engine, state, error, retry, allowLocalFiles, openLocalFiles, keyboardShortcuts } =
    context;
  const elementRef = useRef<HTMLDivElement | null>(null);
  const [dragging, setDragging] = useState(false);

  const ref = useCallback(
    (element: HTMLDivElement | null) => {
      elementRef.current = element;
      attachElement(element);
    },
    [attachElement],
  );

  useEffect(() => {
    const element = elementRef.current;
    if (element === null || engine === undefined || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => engine.resize());
    observer.observe(element);
    return () => observer.disconnect();
  }, [engine]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (keyboardShortcuts === undefined) return;
    const command = commandForKey(event, keyboardShortcuts);
    if (command === undefined) return;
    event.preventDefault();
    context.run(command);
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    setDragging(false);
    if (!allowLocalFiles) return;
    event.preventDefault();
    openLocalFiles(Array.from(event.dataTransfer.files));
  };

  return (
    <div
      className={
        props.className ? `pacs-viewer__viewport-frame ${props.className}` : 'pacs-viewer__viewport-frame'
      }
    >
      <div
        ref={ref}
        className="pacs-viewer__viewport"
        role="application"
        aria-roledescription="DICOM image viewport"
        aria-label={describe(
          context.info.imageIndex,
          context.info.imageCount,
          viewerToolLabels[context.tool],
        )}
        aria-describedby={context.statusId}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: role="application" takes keyboard input (shortcuts) by design.
        tabIndex={0}
        data-state={state}
        data-dragging={dragging ? 'true' : undefined}
        onKeyDown={onKeyDown}
        onContextMenu={(event) => event.preventDefault()}
        onDragOver={(event) => {
          if (!allowLocalFiles) return;
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      />
      <div
        className="pacs-viewer__message"
        data-state={state}
        id={context.statusId}
        role="status"
        aria-live="polite"
      >
        {state === 'empty' ? (
          <p>
            {props.emptyText ??
              (allowLocalFiles ? 'No images. Drop DICOM files here or open them.' : 'No images.')}
          </p>
        ) : null}
        {state === 'loading' ? <p>{props.loadingText ?? 'Loading images…'}</p> : null}
        {state === 'error' && error ? (
          <>
            <p>{error.message}</p>
            <p className="pacs-viewer__code">{error.code}</p>
            <button type="button" className="pacs-viewer__button" onClick={retry}>
              {props.retryText ?? 'Retry'}
            </button>
          </>
        ) : null}
      </div>
      {props.children}
    </div>
  );
}

function describe(index: number, count: number, tool: string): string {
  return count > 0 ? `Image ${index + 1} of ${count}, tool: ${tool}` : `No image, tool: ${tool}`;
}
