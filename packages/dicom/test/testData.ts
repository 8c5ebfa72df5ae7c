import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** pydicom's test data, fetched by scripts/fetch-test-data.sh into .cache at the repo root. */
export const testFilesDirectory = fileURLToPath(
  new URL('../../../.cache/test-data/pydicom/data/test_files/', import.meta.url),
);
export const charsetFilesDirectory = fileURLToPath(
  new URL('../../../.cache/test-data/pydicom/data/charset_files/', import.meta.url),
);

export function readTestFile(name: string, directory = testFilesDirectory): Uint8Array {
  return new Uint8Array(readFileSync(directory + name));
}

export function listDicomFiles(directory: string): string[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.dcm'))
    .sort();
}
