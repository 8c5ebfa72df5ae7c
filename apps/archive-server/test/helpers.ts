import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DicomJsonDataset } from '@pacskit/dicom';
import { type Archive, type CreateArchiveOptions, createArchive } from '../src/main.js';
import type { ArchiveConfig } from '../src/config.js';
import { testStorageConfig } from './testStorageConfig.js';

export const password = 'test-password';
export const auth = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;

export async function startArchive(
  overrides: Partial<ArchiveConfig> = {},
  options: CreateArchiveOptions = {},
): Promise<{ archive: Archive; dataDir: string; cleanup: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pacskit-archive-'));
  const archive = await createArchive(
    { dataDir, logLevel: 'silent', adminPassword: password, ...testStorageConfig(), ...overrides },
    options,
  );
  return {
    archive,
    dataDir,
    cleanup: async () => {
      await archive.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Splits a multipart/related response into its parts' bodies. */
export function multipartParts(body: Buffer, contentType: string): Array<{ headers: string; body: Buffer }> {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2];
  if (!boundary) throw new Error(`no boundary in ${contentType}`);
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Array<{ headers: string; body: Buffer }> = [];
  let position = body.indexOf(delimiter);
  while (position >= 0) {
    const start = position + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const headerEnd = body.indexOf('\r\n\r\n', start);
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd);
    parts.push({
      headers: body.subarray(start + 2, headerEnd).toString(),
      body: body.subarray(headerEnd + 4, next),
    });
    position = next + 2;
  }
  return parts;
}

export function value(dataset: DicomJsonDataset | undefined, tag: string): unknown {
  return dataset?.[tag]?.Value?.[0];
}
