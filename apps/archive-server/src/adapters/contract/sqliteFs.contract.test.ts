import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { FsBlobStore } from '../fs/FsBlobStore.js';
import { SqliteIndex } from '../sqlite/SqliteIndex.js';
import { blobStoreContract } from './blobStoreContract.js';
import { indexContract } from './indexContract.js';

// The embedded mode: the reference the scale-out adapters must match.
const dir = mkdtempSync(join(tmpdir(), 'pacskit-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

indexContract('SQLite', async () => new SqliteIndex(join(dir, `index-${++n}.sqlite`)));
blobStoreContract('files', async () => new FsBlobStore(join(dir, 'blobs')));
