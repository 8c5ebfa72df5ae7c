import type { DicomJsonDataset } from '@pacskit/dicom';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildImageIds } from './buildImageIds.js';
import { buildViewerUrl } from './buildViewerUrl.js';
import { sortByImagePosition } from './sortByImagePosition.js';

function slice(sop: string, z: number, instanceNumber: number, frames?: number): DicomJsonDataset {
  return {
    '00080018': { vr: 'UI', Value: [sop] },
    '00200013': { vr: 'IS', Value: [instanceNumber] },
    '00200032': { vr: 'DS', Value: [0, 0, z] },
    '00200037': { vr: 'DS', Value: [1, 0, 0, 0, 1, 0] },
    ...(frames ? { '00280008': { vr: 'IS', Value: [frames] } } : {}),
  };
}

describe('sortByImagePosition', () => {
  it('sorts by position along the normal, whatever the instance numbers say', () => {
    const sorted = sortByImagePosition([slice('c', 10, 1), slice('a', -5, 3), slice('b', 2.5, 2)]);
    expect(sorted.map((dataset) => dataset['00080018']?.Value?.[0])).toEqual(['a', 'b', 'c']);
  });

  it('falls back to InstanceNumber when a position is missing', () => {
    const noPosition = { ...slice('x', 0, 1) };
    delete noPosition['00200032'];
    const sorted = sortByImagePosition([slice('c', -10, 3), noPosition, slice('b', 5, 2)]);
    expect(sorted.map((dataset) => dataset['00080018']?.Value?.[0])).toEqual(['x', 'b', 'c']);
  });

  it('is a permutation whose positions never decrease (positions within 1e-6 mm are one slice)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -500, max: 500, noNaN: true }), { maxLength: 30 }), (zs) => {
        const sorted = sortByImagePosition(zs.map((z, index) => slice(`s${index}`, z, index)));
        const out = sorted.map((dataset) => dataset['00200032']!.Value![2] as number);
        expect(out).toHaveLength(zs.length);
        for (let i = 1; i < out.length; i++) expect(out[i]!).toBeGreaterThanOrEqual(out[i - 1]! - 1e-6);
      }),
    );
  });
});

describe('buildImageIds', () => {
  const metadata = [slice('2.2', 5, 1), slice('2.1', -5, 2, 2)];
  const fetch = async () =>
    new Response(JSON.stringify(metadata), {
      status: 200,
      headers: { 'Content-Type': 'application/dicom+json' },
    });

  it('builds wadors: IDs per frame in stacking order', async () => {
    const ids = await buildImageIds({
      baseUrl: 'https://pacs.test/dicom-web/',
      fetch,
      studyInstanceUID: '1',
      seriesInstanceUID: '2',
      scheme: 'wadors',
    });
    expect(ids).toEqual([
      'wadors:https://pacs.test/dicom-web/studies/1/series/2/instances/2.1/frames/1',
      'wadors:https://pacs.test/dicom-web/studies/1/series/2/instances/2.1/frames/2',
      'wadors:https://pacs.test/dicom-web/studies/1/series/2/instances/2.2/frames/1',
    ]);
  });

  it('builds wadouri: IDs with 0-based frames for multi-frame instances', async () => {
    const ids = await buildImageIds({
      baseUrl: 'https://pacs.test/dicom-web',
      wadoUriUrl: 'https://pacs.test/wado',
      fetch,
      studyInstanceUID: '1',
      seriesInstanceUID: '2',
      scheme: 'wadouri',
    });
    expect(ids[0]).toBe(
      'wadouri:https://pacs.test/wado?requestType=WADO&studyUID=1&seriesUID=2&objectUID=2.1&contentType=application/dicom&frame=0',
    );
    expect(ids[2]).toBe(
      'wadouri:https://pacs.test/wado?requestType=WADO&studyUID=1&seriesUID=2&objectUID=2.2&contentType=application/dicom',
    );
  });
});

describe('buildViewerUrl', () => {
  it('fills a template or adds OHIF-style query parameters', () => {
    expect(
      buildViewerUrl({
        viewerUrl: 'https://portal.test/view/{StudyInstanceUID}',
        studyInstanceUID: '1.2',
        query: { t: 'x' },
      }),
    ).toBe('https://portal.test/view/1.2?t=x');
    expect(
      buildViewerUrl({
        viewerUrl: 'https://ohif.test/viewer',
        studyInstanceUID: '1.2',
        seriesInstanceUID: '1.2.3',
      }),
    ).toBe('https://ohif.test/viewer?StudyInstanceUIDs=1.2&SeriesInstanceUIDs=1.2.3');
  });
});
