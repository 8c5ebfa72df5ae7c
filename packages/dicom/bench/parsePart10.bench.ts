// Timings of parsePart10/writePart10 (numbers depend on the machine; not assertions).
// Run: pnpm --filter @pacskit/dicom bench
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bench, describe } from 'vitest';
import { encodeBase64, parsePart10, writePart10 } from '../src/index.js';

const ct = new Uint8Array(
  readFileSync(
    fileURLToPath(new URL('../../../.cache/test-data/pydicom/data/test_files/CT_small.dcm', import.meta.url)),
  ),
);
const parsed = parsePart10(ct);

// A 105 MB multi-frame instance: 200 frames of 512×512×16 bit.
const frames = 200;
const big = writePart10({
  dataset: {
    ...parsed.dataset,
    '00280008': { vr: 'IS', Value: [frames] },
    '00280010': { vr: 'US', Value: [512] },
    '00280011': { vr: 'US', Value: [512] },
    '7FE00010': { vr: 'OW', InlineBinary: encodeBase64(new Uint8Array(512 * 512 * 2 * frames).fill(7)) },
  },
});

describe('CT_small.dcm (39 KB)', () => {
  bench('parse', () => {
    parsePart10(ct);
  });
  bench('parse until Pixel Data', () => {
    parsePart10(ct, { untilTag: 'PixelData' });
  });
  bench('write', () => {
    writePart10(parsed);
  });
});

describe('105 MB multi-frame instance', () => {
  bench(
    'parse, Pixel Data as InlineBinary',
    () => {
      parsePart10(big);
    },
    { iterations: 3, warmupIterations: 1 },
  );
  bench('parse, Pixel Data as BulkDataURI', () => {
    parsePart10(big, { bulkDataThreshold: 1024, bulkDataUri: () => 'bulk' });
  });
  bench('parse until Pixel Data', () => {
    parsePart10(big, { untilTag: 'PixelData' });
  });
});
