import { describe, expect, it } from 'vitest';
import { presetToRange, presetsForModality } from './windowLevelPresets.js';

describe('window presets', () => {
  it('turns width/center into a range (PS3.3 C.11.2.1.2.1)', () => {
    expect(presetToRange({ windowWidth: 400, windowCenter: 40 })).toEqual({ lower: -160, upper: 240 });
    expect(presetToRange({ windowWidth: 1500, windowCenter: -600 })).toEqual({ lower: -1350, upper: 150 });
  });

  it('has CT presets in HU, none for MR, and tolerates lower case', () => {
    expect(presetsForModality('CT').map((p) => p.id)).toContain('lung');
    expect(presetsForModality('ct')).toBe(presetsForModality('CT'));
    expect(presetsForModality('MR')).toEqual([]);
    expect(presetsForModality(undefined)).toEqual([]);
  });
});
