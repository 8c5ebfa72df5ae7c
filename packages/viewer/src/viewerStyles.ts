/**
 * The viewer's CSS: every class starts with `pacs-viewer`, every colour is a CSS variable (set
 * `--pacs-viewer-*` on any ancestor to brand it), and nothing targets bare elements, so it never clashes
 * with the host page. `[data-pacs-theme="dark"]` on any ancestor switches to the dark palette.
 */
export const viewerStyles = `
.pacs-viewer {
  --pacs-viewer-bg: var(--pacs-surface, #ffffff);
  --pacs-viewer-fg: var(--pacs-text, #1b1d21);
  --pacs-viewer-muted: var(--pacs-text-muted, #4a5160);
  --pacs-viewer-border: var(--pacs-border, #c9ced8);
  --pacs-viewer-accent: var(--pacs-accent, #1f5fbf);
  --pacs-viewer-accent-fg: var(--pacs-accent-text, #ffffff);
  --pacs-viewer-canvas-bg: #000000;
  --pacs-viewer-overlay-fg: #f2f4f7;
  --pacs-viewer-error: var(--pacs-danger, #b3261e);
  --pacs-viewer-radius: var(--pacs-radius, 6px);
  box-sizing: border-box;
  display: grid;
  grid-template-columns: auto 1fr;
  grid-template-rows: auto 1fr;
  grid-template-areas: "toolbar toolbar" "series viewport";
  gap: 4px;
  width: 100%;
  height: 100%;
  min-height: 240px;
  background: var(--pacs-viewer-bg);
  color: var(--pacs-viewer-fg);
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
}
[data-pacs-theme="dark"] .pacs-viewer, .pacs-viewer[data-pacs-theme="dark"] {
  --pacs-viewer-bg: var(--pacs-surface, #16181d);
  --pacs-viewer-fg: var(--pacs-text, #e8eaed);
  --pacs-viewer-muted: var(--pacs-text-muted, #aab1bd);
  --pacs-viewer-border: var(--pacs-border, #3a3f4a);
  --pacs-viewer-accent: var(--pacs-accent, #8ab4f8);
  --pacs-viewer-accent-fg: var(--pacs-accent-text, #0b1526);
  --pacs-viewer-error: var(--pacs-danger, #f2b8b5);
}
.pacs-viewer *, .pacs-viewer *::before, .pacs-viewer *::after { box-sizing: inherit; }
.pacs-viewer__toolbar {
  grid-area: toolbar; display: flex; flex-wrap: wrap; gap: 4px; align-items: center; padding: 4px;
  border-bottom: 1px solid var(--pacs-viewer-border);
}
.pacs-viewer__group { display: flex; flex-wrap: wrap; gap: 2px; align-items: center; }
.pacs-viewer__button, .pacs-viewer__select {
  font: inherit; color: var(--pacs-viewer-fg); background: transparent; cursor: pointer;
  border: 1px solid var(--pacs-viewer-border); border-radius: var(--pacs-viewer-radius);
  padding: 4px 8px; min-height: 32px; min-width: 32px;
}
.pacs-viewer__select { background: var(--pacs-viewer-bg); }
.pacs-viewer__button[aria-pressed="true"] {
  background: var(--pacs-viewer-accent); color: var(--pacs-viewer-accent-fg); border-color: var(--pacs-viewer-accent);
}
.pacs-viewer__button:focus-visible, .pacs-viewer__select:focus-visible, .pacs-viewer__viewport:focus-visible {
  outline: 2px solid var(--pacs-viewer-accent); outline-offset: 2px;
}
.pacs-viewer__file-input {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.pacs-viewer__series {
  grid-area: series; margin: 0; padding: 4px; list-style: none; overflow: auto; max-width: 180px;
  display: flex; flex-direction: column; gap: 4px;
}
.pacs-viewer__series-item {
  width: 100%; text-align: start; display: flex; flex-direction: column; gap: 2px;
}
.pacs-viewer__series-item[aria-current="true"] { border-color: var(--pacs-viewer-accent); border-width: 2px; }
.pacs-viewer__series-meta { color: var(--pacs-viewer-muted); font-size: 12px; }
.pacs-viewer__viewport-frame {
  grid-area: viewport; position: relative; min-height: 200px; min-width: 0; overflow: hidden;
  background: var(--pacs-viewer-canvas-bg); border-radius: var(--pacs-viewer-radius);
}
.pacs-viewer__viewport { position: absolute; inset: 0; touch-action: none; user-select: none; }
.pacs-viewer__viewport[data-dragging="true"] { outline: 3px dashed var(--pacs-viewer-accent); outline-offset: -3px; }
.pacs-viewer__volume-grid {
  position: absolute; inset: 0; display: grid; gap: 2px; grid-template-columns: 1fr;
  background: var(--pacs-viewer-border);
}
.pacs-viewer__volume-grid[data-view-mode="mpr"] { grid-template-columns: repeat(3, minmax(0, 1fr)); }
.pacs-viewer__volume-pane { position: relative; min-width: 0; min-height: 0; background: var(--pacs-viewer-canvas-bg); }
@media (max-width: 600px) {
  .pacs-viewer__volume-grid[data-view-mode="mpr"] { grid-template-columns: 1fr; grid-template-rows: repeat(3, minmax(0, 1fr)); }
}
.pacs-viewer__message {
  position: absolute; inset: 0; display: flex; flex-direction: column; gap: 8px; align-items: center;
  justify-content: center; text-align: center; padding: 16px; color: var(--pacs-viewer-overlay-fg);
  pointer-events: none;
}
.pacs-viewer__message > * { pointer-events: auto; }
.pacs-viewer__message[data-state="error"] .pacs-viewer__code { color: #ffb4ab; font-family: ui-monospace, monospace; }
.pacs-viewer__message .pacs-viewer__button { color: var(--pacs-viewer-overlay-fg); border-color: var(--pacs-viewer-overlay-fg); }
.pacs-viewer__overlay {
  position: absolute; inset: 0; pointer-events: none; color: var(--pacs-viewer-overlay-fg);
  font: 12px/1.3 ui-monospace, SFMono-Regular, Menlo, monospace; text-shadow: 0 0 2px #000, 0 0 2px #000;
}
.pacs-viewer__corner { position: absolute; margin: 0; padding: 6px; }
.pacs-viewer__corner[data-corner="top-left"] { top: 0; left: 0; }
.pacs-viewer__corner[data-corner="top-right"] { top: 0; right: 0; text-align: end; }
.pacs-viewer__corner[data-corner="bottom-left"] { bottom: 0; left: 0; }
.pacs-viewer__corner[data-corner="bottom-right"] { bottom: 0; right: 0; text-align: end; }
@media (max-width: 600px) {
  .pacs-viewer { grid-template-columns: 1fr; grid-template-rows: auto auto 1fr; grid-template-areas: "toolbar" "series" "viewport"; }
  .pacs-viewer__series { flex-direction: row; max-width: none; }
  .pacs-viewer__series-item { width: auto; }
}
`;
