import { fileURLToPath } from 'node:url';

/** Path of a pydicom test file (scripts/fetch-test-data.sh puts them under .cache at the repo root). */
export function pydicomTestFile(name: string): string {
  return fileURLToPath(
    new URL(`../../../../.cache/test-data/pydicom/data/test_files/${name}`, import.meta.url),
  );
}

export function pydicomCharsetFile(name: string): string {
  return fileURLToPath(
    new URL(`../../../../.cache/test-data/pydicom/data/charset_files/${name}`, import.meta.url),
  );
}
