import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPacsError } from '@pacskit/dicom';
import { afterAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../fs/FsBlobStore.js';
import { openStorage } from '../openStorage.js';
import { parseS3Url } from '../s3/parseS3Url.js';
import { SqliteIndex } from '../sqlite/SqliteIndex.js';
import { makeRecord } from './makeRecord.js';

const dir = mkdtempSync(join(tmpdir(), 'pacskit-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openStorage', () => {
  it('opens the embedded mode by default, in the data directory', async () => {
    const storage = await openStorage({ dataDir: dir });
    try {
      expect(storage.index).toBeInstanceOf(SqliteIndex);
      expect(storage.blobs).toBeInstanceOf(FsBlobStore);
      const record = makeRecord({ study: '8.1', series: '8.1.1', sop: '8.1.1.1' });
      await storage.index.putInstance(record, { replace: false });
      expect(await storage.index.findInstance('8.1.1.1')).toEqual(record);
      expect(storage.blobs.localPath('0000abcd-01')).toBe(join(dir, 'blobs', '0000abcd', '0000abcd-01'));
    } finally {
      await storage.close();
    }
  });

  it('refuses a database that is not a postgres:// URL', async () => {
    const error = await openStorage({ dataDir: dir, database: 'mysql://x' }).catch((e: unknown) => e);
    expect(isPacsError(error) && error.code).toBe('INVALID_ARGUMENT');
  });
});

describe('parseS3Url', () => {
  it('reads bucket, prefix, endpoint, region and path style', () => {
    expect(
      parseS3Url('s3://archive/site-a?endpoint=http://127.0.0.1:9000&region=eu-west-1&forcePathStyle=true'),
    ).toEqual({
      bucket: 'archive',
      prefix: 'site-a/',
      client: { region: 'eu-west-1', endpoint: 'http://127.0.0.1:9000', forcePathStyle: true },
    });
    expect(parseS3Url('s3://archive').prefix).toBe('');
  });

  it('refuses anything but s3://bucket', () => {
    for (const url of ['http://archive', 's3:///nobucket', 'not a url']) {
      const error = (() => {
        try {
          parseS3Url(url);
        } catch (e) {
          return e;
        }
      })();
      expect(isPacsError(error) && error.code).toBe('INVALID_ARGUMENT');
    }
  });
});
