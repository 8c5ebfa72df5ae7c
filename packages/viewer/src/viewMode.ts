/**
 * How a series is shown: one image at a time (`stack`), as a volume resliced into axial, sagittal and
 * coronal planes (`mpr`), or as a maximum intensity projection through the whole volume (`mip`).
 * `mpr` and `mip` need a series of parallel slices with geometry (CT, MR, PET).
 */
export type ViewMode = 'stack' | 'mpr' | 'mip';

export const viewModes: readonly ViewMode[] = ['stack', 'mpr', 'mip'];

export const viewModeLabels: Readonly<Record<ViewMode, string>> = {
  stack: 'Stack',
  mpr: 'MPR',
  mip: 'MIP',
};
