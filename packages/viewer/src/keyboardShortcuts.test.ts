import { describe, expect, it } from 'vitest';
import { commandForKey, defaultKeyboardShortcuts } from './keyboardShortcuts.js';
import { viewerTools } from './viewerTool.js';

const key = (
  k: string,
  modifiers: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {},
) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...modifiers,
});

describe('commandForKey', () => {
  it('maps letters to tools, case-insensitively', () => {
    expect(commandForKey(key('l'))).toEqual({ type: 'tool', tool: 'length' });
    expect(commandForKey(key('L'))).toEqual({ type: 'tool', tool: 'length' });
  });

  it('leaves modified keys to the host page', () => {
    expect(commandForKey(key('l', { ctrlKey: true }))).toBeUndefined();
    expect(commandForKey(key('l', { metaKey: true }))).toBeUndefined();
    expect(commandForKey(key('l', { altKey: true }))).toBeUndefined();
  });

  it('ignores unmapped keys', () => {
    expect(commandForKey(key('q'))).toBeUndefined();
  });

  it('only names tools that exist', () => {
    for (const command of Object.values(defaultKeyboardShortcuts)) {
      if (command.type === 'tool') expect(viewerTools).toContain(command.tool);
    }
  });
});
