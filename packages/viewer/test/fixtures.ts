// Image ids of the static fixtures (packages/viewer/fixtures, written by scripts/make-fixtures.mjs).
import manifest from '../fixtures/manifest.json' with { type: 'json' };

/** `base` is where the fixtures folder is served: `/fixtures` in Vitest, `/dicom` in Storybook. */
export function ctPhantomImageIds(base = '/dicom', count = manifest.ctPhantom.length): string[] {
  return manifest.ctPhantom.slice(0, count).map((path) => `wadouri:${base}/${path}`);
}

export function sampleImageId(name: string, base = '/dicom'): string {
  const path = manifest.samples.find((sample) => sample.endsWith(`/${name}`));
  if (path === undefined) throw new Error(`no sample ${name} in fixtures/manifest.json`);
  return `wadouri:${base}/${path}`;
}
