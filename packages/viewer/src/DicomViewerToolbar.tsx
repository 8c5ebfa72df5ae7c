import { type ChangeEvent, type KeyboardEvent, type ReactNode, useRef } from 'react';
import { useDicomViewerContext } from './dicomViewerContext.js';
import type { ViewerCommand } from './keyboardShortcuts.js';
import { type ViewMode, viewModeLabels, viewModes } from './viewMode.js';
import { type ViewerTool, viewerToolLabels, viewerTools } from './viewerTool.js';

export interface DicomViewerToolbarProps {
  /** Which tools to offer (default: all), in order. */
  tools?: readonly ViewerTool[];
  /** Show the view actions (invert, flip, rotate, cine, reset). Default true. */
  actions?: boolean;
  /** Which view modes to offer (default all; MPR/MIP need a series of several parallel slices). */
  viewModes?: readonly ViewMode[];
  /** Translated labels; missing keys fall back to English. */
  labels?: Partial<
    Record<ViewerTool | ViewerAction | ViewMode | 'presets' | 'openFiles' | 'toolbar' | 'viewMode', string>
  >;
  className?: string;
  children?: ReactNode;
}

export type ViewerAction = 'invert' | 'flipHorizontal' | 'flipVertical' | 'rotate' | 'cine' | 'reset';

const actionLabels: Record<ViewerAction, string> = {
  invert: 'Invert',
  flipHorizontal: 'Flip horizontal',
  flipVertical: 'Flip vertical',
  rotate: 'Rotate 90°',
  cine: 'Cine',
  reset: 'Reset',
};

const actionCommands: Record<ViewerAction, ViewerCommand> = {
  invert: { type: 'invert' },
  flipHorizontal: { type: 'flipHorizontal' },
  flipVertical: { type: 'flipVertical' },
  rotate: { type: 'rotate', degrees: 90 },
  cine: { type: 'cine' },
  reset: { type: 'reset' },
};

/** Tool buttons (one active, `data-state="active"`), window presets, view actions and "open files". */
export function DicomViewerToolbar(props: DicomViewerToolbarProps): ReactNode {
  const context = useDicomViewerContext('Toolbar');
  const { tools = viewerTools, actions = true, labels = {} } = props;
  const fileInput = useRef<HTMLInputElement>(null);
  const disabled = context.state !== 'ready';
  const offeredModes = props.viewModes ?? viewModes;
  const volumeCapable = (context.activeSeries?.imageIds.length ?? 0) > 2;

  // ARIA toolbar pattern (WAI-ARIA APG): arrow keys, Home and End move focus between the controls.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
    if (event.target instanceof HTMLSelectElement && event.key !== 'Home' && event.key !== 'End') return;
    const controls = Array.from(
      event.currentTarget.querySelectorAll<HTMLElement>('button:not(:disabled), select:not(:disabled)'),
    );
    const index = controls.indexOf(event.target as HTMLElement);
    if (index === -1) return;
    const next =
      event.key === 'Home'
        ? 0
        : event.key === 'End'
          ? controls.length - 1
          : (index + (event.key === 'ArrowRight' ? 1 : -1) + controls.length) % controls.length;
    event.preventDefault();
    controls[next]?.focus();
  };

  const onFiles = (event: ChangeEvent<HTMLInputElement>) => {
    context.openLocalFiles(Array.from(event.target.files ?? []));
    event.target.value = '';
  };

  return (
    <div
      className={props.className ? `pacs-viewer__toolbar ${props.className}` : 'pacs-viewer__toolbar'}
      role="toolbar"
      aria-label={labels.toolbar ?? 'Viewer tools'}
      onKeyDown={onKeyDown}
    >
      <div className="pacs-viewer__group">
        {tools.map((tool) => (
          <button
            key={tool}
            type="button"
            className="pacs-viewer__button"
            aria-pressed={context.tool === tool}
            data-state={context.tool === tool ? 'active' : 'inactive'}
            data-tool={tool}
            onClick={() => context.setTool(tool)}
          >
            {labels[tool] ?? viewerToolLabels[tool]}
          </button>
        ))}
      </div>
      {offeredModes.length > 1 ? (
        // biome-ignore lint/a11y/useSemanticElements: a labelled group of toggle buttons, as in the ARIA toolbar pattern.
        <div className="pacs-viewer__group" role="group" aria-label={labels.viewMode ?? 'View mode'}>
          {offeredModes.map((mode) => (
            <button
              key={mode}
              type="button"
              className="pacs-viewer__button"
              aria-pressed={context.viewMode === mode}
              data-state={context.viewMode === mode ? 'active' : 'inactive'}
              data-view-mode={mode}
              disabled={mode !== 'stack' && !volumeCapable}
              onClick={() => context.setViewMode(mode)}
            >
              {labels[mode] ?? viewModeLabels[mode]}
            </button>
          ))}
        </div>
      ) : null}
      {/* Always rendered (disabled without presets) so the toolbar does not change height, and the
          image does not move, when the modality becomes known after the first image. */}
      {
        <select
          className="pacs-viewer__select"
          aria-label={labels.presets ?? 'Window presets'}
          value=""
          disabled={disabled || context.presets.length === 0}
          onChange={(event) => {
            const preset = context.presets.find((p) => p.id === event.target.value);
            if (preset) context.applyPreset(preset);
          }}
        >
          <option value="" disabled>
            {labels.presets ?? 'Window presets'}
          </option>
          {context.presets.map((preset) => (
            <option key={preset.id} value={preset.id}>
              {preset.label} (W {preset.windowWidth} / L {preset.windowCenter})
            </option>
          ))}
        </select>
      }
      {actions ? (
        <div className="pacs-viewer__group">
          {(Object.keys(actionCommands) as ViewerAction[]).map((action) => (
            <button
              key={action}
              type="button"
              className="pacs-viewer__button"
              data-action={action}
              disabled={disabled}
              {...(action === 'cine' ? { 'aria-pressed': context.info.cine } : {})}
              onClick={() => context.run(actionCommands[action])}
            >
              {labels[action] ?? actionLabels[action]}
            </button>
          ))}
        </div>
      ) : null}
      {context.allowLocalFiles ? (
        <>
          <button type="button" className="pacs-viewer__button" onClick={() => fileInput.current?.click()}>
            {labels.openFiles ?? 'Open files'}
          </button>
          <input
            ref={fileInput}
            className="pacs-viewer__file-input"
            type="file"
            multiple
            accept=".dcm,application/dicom"
            tabIndex={-1}
            aria-label={labels.openFiles ?? 'Open files'}
            onChange={onFiles}
          />
        </>
      ) : null}
      {props.children}
    </div>
  );
}
