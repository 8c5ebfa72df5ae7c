import type { FixtureKnobs } from './FixturePacsProvider.js';

/** Storybook controls for the fixture knobs, shared by every story file. */
export const fixtureArgTypes = {
  mode: { control: 'inline-radio', options: ['data', 'empty', 'error', 'loading'] },
  workflowMode: { control: 'inline-radio', options: ['data', 'empty', 'error', 'loading'] },
  errorCode: {
    control: 'select',
    options: ['UNAVAILABLE', 'UNAUTHENTICATED', 'FORBIDDEN', 'TIMEOUT', 'NOT_FOUND', 'NETWORK_ERROR'],
  },
  latencyMs: { control: { type: 'range', min: 0, max: 3000, step: 50 } },
  studyCount: { control: { type: 'number', min: 0, max: 10000 } },
  orderCount: { control: { type: 'number', min: 0, max: 10000 } },
  locale: { control: 'inline-radio', options: ['en', 'fr'] },
  theme: { control: 'inline-radio', options: ['light', 'dark'] },
} as const;

export const defaultKnobs: FixtureKnobs = {
  mode: 'data',
  latencyMs: 150,
  locale: 'en',
  imageBaseUrl: '/dicom/samples/',
};

/** Storybook viewport globals for the phone-width stories (.storybook/preview.tsx defines `phone`). */
export const phoneGlobals = { viewport: { value: 'phone', isRotated: false } };
