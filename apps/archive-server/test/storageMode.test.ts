import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInstance, newUid, stowBody } from '../src/testing/generateInstance.js';
import { auth, startArchive } from './helpers.js';
import { testStorageMode } from './storageMode.js';

// The suites that run in both storage modes (storageMode.ts) must really use the mode's storage:
// this checks where a stored instance lands, so a PostgreSQL-mode run cannot silently test SQLite.
describe(`the test archive stores in the ${testStorageMode()} mode`, () => {
  let started: Awaited<ReturnType<typeof startArchive>>;

  beforeAll(async () => {
    started = await startArchive();
    const { body, contentType } = stowBody([
      generateInstance({ studyInstanceUID: newUid(), seriesInstanceUID: newUid(), sopInstanceUID: newUid() }),
    ]);
    const response = await started.archive.app.inject({
      method: 'POST',
      url: '/dicom-web/studies',
      headers: { authorization: auth, 'content-type': contentType, accept: 'application/dicom+json' },
      payload: body,
    });
    expect(response.statusCode).toBe(200);
  });

  afterAll(async () => {
    await started.cleanup();
  });

  function blobFiles(): string[] {
    const root = join(started.dataDir, 'blobs');
    if (!existsSync(root)) return [];
    return readdirSync(root).flatMap((bucket) => readdirSync(join(root, bucket)));
  }

  it('puts the blob and the index row where the mode says', async () => {
    const database = started.archive.config.database;
    if (testStorageMode() === 'embedded') {
      expect(database).toBeUndefined();
      expect(blobFiles()).toHaveLength(1);
      return;
    }
    expect(database).toMatch(/^postgres:\/\//);
    expect(blobFiles()).toHaveLength(0);
    const client = new pg.Client({ connectionString: database });
    await client.connect();
    try {
      const { rows } = await client.query<{ count: string }>('SELECT count(*) FROM instances');
      expect(Number(rows[0]?.count)).toBe(1);
    } finally {
      await client.end();
    }
  });
});
