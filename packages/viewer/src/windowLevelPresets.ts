/** A window (VOI LUT, PS3.3 C.11.2): width and center in the modality's output units (HU for CT). */
export interface WindowLevelPreset {
  id: string;
  label: string;
  windowWidth: number;
  windowCenter: number;
}

/**
 * Common presets by modality (PS3.3 C.7.3.1.1.1 Modality). CT values are the widely used radiology
 * windows in Hounsfield units; other modalities have no fixed scale, so they only get "Default" (the
 * window stored in the image).
 */
export const windowLevelPresets: Readonly<Record<string, readonly WindowLevelPreset[]>> = {
  CT: [
    { id: 'soft-tissue', label: 'Soft tissue', windowWidth: 400, windowCenter: 40 },
    { id: 'lung', label: 'Lung', windowWidth: 1500, windowCenter: -600 },
    { id: 'bone', label: 'Bone', windowWidth: 2000, windowCenter: 300 },
    { id: 'brain', label: 'Brain', windowWidth: 80, windowCenter: 40 },
    { id: 'liver', label: 'Liver', windowWidth: 150, windowCenter: 30 },
    { id: 'mediastinum', label: 'Mediastinum', windowWidth: 350, windowCenter: 50 },
  ],
  PT: [{ id: 'suv', label: 'SUV 0–5', windowWidth: 5, windowCenter: 2.5 }],
};

/** Presets for a modality (an empty list when it has none). */
export function presetsForModality(modality: string | undefined): readonly WindowLevelPreset[] {
  if (modality === undefined) return [];
  return windowLevelPresets[modality.toUpperCase()] ?? [];
}

/** A window as the lower and upper bound of the displayed range (PS3.3 C.11.2.1.2.1, linear). */
export function presetToRange(preset: Pick<WindowLevelPreset, 'windowWidth' | 'windowCenter'>): {
  lower: number;
  upper: number;
} {
  return {
    lower: preset.windowCenter - preset.windowWidth / 2,
    upper: preset.windowCenter + preset.windowWidth / 2,
  };
}
