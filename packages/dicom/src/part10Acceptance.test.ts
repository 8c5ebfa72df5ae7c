import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64.js';
import type { DicomJsonDataset } from './dicomJson.js';
import { parsePart10 } from './parsePart10.js';
import { writePart10 } from './writePart10.js';

/**
 * The Part 10 acceptance test: every row of test/part10-acceptance.md is checked against pydicom's
 * test data, and every file of that data must have a row.
 */
const dataDirectory = fileURLToPath(new URL('../../../.cache/test-data/pydicom/data/', import.meta.url));
const table = readFileSync(new URL('../test/part10-acceptance.md', import.meta.url), 'utf8');

interface Row {
  file: string;
  outcome: string;
  transferSyntaxUID: string;
}

const rows: Row[] = table
  .split('\n')
  .filter((line) => /^\| (test_files|charset_files)\//.test(line))
  .map((line) => {
    const [file = '', outcome = '', transferSyntaxUID = ''] = line
      .slice(1)
      .split('|')
      .map((cell) => cell.trim());
    return { file, outcome, transferSyntaxUID };
  });

function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** What a writer may change: odd-length values get a pad byte; (0008,0005) when re-encoded as UTF-8. */
function normalize(dataset: DicomJsonDataset, dropCharacterSet: boolean): unknown {
  const out: Record<string, unknown> = {};
  for (const [tag, attribute] of Object.entries(dataset)) {
    if (dropCharacterSet && tag === '00080005') continue;
    if (attribute.InlineBinary !== undefined) {
      const bytes = decodeBase64(attribute.InlineBinary)!;
      const even = bytes.length % 2 === 0 ? bytes : Uint8Array.from([...bytes, 0]);
      out[tag] = { vr: attribute.vr, InlineBinary: encodeBase64(even) };
    } else if (attribute.vr === 'SQ') {
      out[tag] = {
        vr: 'SQ',
        Value: (attribute.Value ?? []).map((item) => normalize(item as DicomJsonDataset, dropCharacterSet)),
      };
    } else {
      out[tag] = attribute;
    }
  }
  return out;
}

describe('Part 10 acceptance table (test/part10-acceptance.md)', () => {
  it('lists every pydicom test file exactly once', () => {
    const onDisk = [
      ...filesUnder(join(dataDirectory, 'test_files')),
      ...filesUnder(join(dataDirectory, 'charset_files')),
    ]
      .map((path) => relative(dataDirectory, path))
      .filter((path) => !/\.(txt|json|dump)$/.test(path) && !path.endsWith('README'))
      .sort();
    expect(rows.map((row) => row.file).sort()).toEqual(onDisk);
    expect(rows.length).toBeGreaterThan(150);
  });

  for (const { file, outcome, transferSyntaxUID } of rows) {
    it(`${file}: ${outcome}`, () => {
      const bytes = new Uint8Array(readFileSync(join(dataDirectory, file)));
      if (/^[A-Z_]+$/.test(outcome)) {
        expect(() => parsePart10(bytes)).toThrow(expect.objectContaining({ code: outcome }));
        return;
      }
      const parsed = parsePart10(bytes);
      expect(parsed.transferSyntaxUID).toBe(transferSyntaxUID);
      const written = writePart10(parsed);
      if (outcome === 'byte-equal') {
        expect(written.length).toBe(bytes.length);
        expect(written.every((byte, index) => byte === bytes[index])).toBe(true);
        return;
      }
      const reparsed = parsePart10(written);
      expect(reparsed.transferSyntaxUID).toBe(transferSyntaxUID);
      const utf8 = outcome === 'dataset-equal, text re-encoded as UTF-8';
      expect(outcome === 'dataset-equal' || utf8, `unknown outcome ${outcome}`).toBe(true);
      expect(normalize(reparsed.dataset, utf8)).toEqual(normalize(parsed.dataset, utf8));
      if (utf8) expect(reparsed.dataset['00080005']?.Value).toEqual(['ISO_IR 192']);
    });
  }
});
