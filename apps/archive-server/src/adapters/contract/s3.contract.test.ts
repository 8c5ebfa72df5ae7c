import { isPacsError } from '@pacskit/dicom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../s3/S3BlobStore.js';
import { blobStoreContract } from './blobStoreContract.js';
import { type ThrowawayS3, startS3rver } from './startS3rver.js';

// The scale-out blob store against s3rver on 127.0.0.1 (the package's vitest.config.ts resolves
// Node's build of the AWS SDK: it cannot load under the `module` resolve condition).
let s3: ThrowawayS3 | undefined;
const stores: S3BlobStore[] = [];

beforeAll(async () => {
  s3 = await startS3rver();
}, 30_000);

afterAll(async () => {
  for (const store of stores) store.close();
  await s3?.stop();
});

blobStoreContract('S3 (s3rver)', async () => {
  if (!s3) throw new Error('s3rver did not start');
  const store = new S3BlobStore({
    bucket: s3.bucket,
    prefix: 'contract/',
    client: { endpoint: s3.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.credentials },
  });
  stores.push(store);
  return store;
});

describe('S3BlobStore when the object store is down', () => {
  it('refuses with UNAVAILABLE', async () => {
    const own = await startS3rver('outage');
    const store = new S3BlobStore({
      bucket: own.bucket,
      client: {
        endpoint: own.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials: own.credentials,
        maxAttempts: 1,
      },
    });
    stores.push(store);
    await own.stop();
    const error = await store
      .create('0000dead-0001', {
        stream: (async function* () {
          yield Buffer.from('x');
        })(),
      })
      .catch((e: unknown) => e);
    expect(isPacsError(error) && error.code).toBe('UNAVAILABLE');
    const readError = await store.readRange('0000dead-0001', 0, 1).catch((e: unknown) => e);
    expect(isPacsError(readError) && readError.code).toBe('UNAVAILABLE');
  });
});
