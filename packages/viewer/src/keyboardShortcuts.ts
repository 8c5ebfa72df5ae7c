import type { ViewerTool } from './viewerTool.js';

/** What a key press does in a focused viewport. */
export type ViewerCommand =
  | { type: 'tool'; tool: ViewerTool }
  | { type: 'scroll'; delta: number }
  | { type: 'first' }
  | { type: 'last' }
  | { type: 'invert' }
  | { type: 'flipHorizontal' }
  | { type: 'flipVertical' }
  | { type: 'rotate'; degrees: number }
  | { type: 'reset' }
  | { type: 'cine' }
  | { type: 'preset'; index: number };

/** The default key map (documented in the README; `keyboardShortcuts={false}` turns it off). */
export const defaultKeyboardShortcuts: Readonly<Record<string, ViewerCommand>> = {
  w: { type: 'tool', tool: 'windowLevel' },
  z: { type: 'tool', tool: 'zoom' },
  p: { type: 'tool', tool: 'pan' },
  s: { type: 'tool', tool: 'stackScroll' },
  l: { type: 'tool', tool: 'length' },
  a: { type: 'tool', tool: 'angle' },
  e: { type: 'tool', tool: 'ellipticalRoi' },
  r: { type: 'tool', tool: 'rectangleRoi' },
  b: { type: 'tool', tool: 'probe' },
  t: { type: 'tool', tool: 'arrowAnnotate' },
  ArrowUp: { type: 'scroll', delta: -1 },
  ArrowDown: { type: 'scroll', delta: 1 },
  PageUp: { type: 'scroll', delta: -10 },
  PageDown: { type: 'scroll', delta: 10 },
  Home: { type: 'first' },
  End: { type: 'last' },
  i: { type: 'invert' },
  h: { type: 'flipHorizontal' },
  v: { type: 'flipVertical' },
  '.': { type: 'rotate', degrees: 90 },
  ',': { type: 'rotate', degrees: -90 },
  Escape: { type: 'reset' },
  ' ': { type: 'cine' },
  '1': { type: 'preset', index: 0 },
  '2': { type: 'preset', index: 1 },
  '3': { type: 'preset', index: 2 },
  '4': { type: 'preset', index: 3 },
  '5': { type: 'preset', index: 4 },
};

/** The command for a key event, ignoring presses with Ctrl/Meta/Alt (those belong to the host page). */
export function commandForKey(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>,
  shortcuts: Readonly<Record<string, ViewerCommand>> = defaultKeyboardShortcuts,
): ViewerCommand | undefined {
  if (event.ctrlKey || event.metaKey || event.altKey) return undefined;
  return shortcuts[event.key] ?? shortcuts[event.key.toLowerCase()];
}
