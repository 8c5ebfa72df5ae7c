import type { ReactNode } from 'react';
import { type FixtureKnobs, FixturePacsProvider } from './FixturePacsProvider.js';

/**
 * A Storybook decorator: wraps the story in a FixturePacsProvider built from the story's args; the
 * theme follows the story's `theme` arg, else the toolbar's theme.
 */
export function withFixturePacs(
  Story: () => ReactNode,
  context: { args: object; globals: Record<string, unknown> },
) {
  const knobs = context.args as FixtureKnobs;
  return (
    <FixturePacsProvider
      {...knobs}
      theme={knobs.theme ?? (context.globals.theme === 'dark' ? 'dark' : 'light')}
    >
      <Story />
    </FixturePacsProvider>
  );
}
