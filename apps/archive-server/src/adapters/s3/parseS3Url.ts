import { PacsError } from '@pacskit/dicom';
import type { S3BlobStoreOptions } from './S3BlobStore.js';

/** `s3://bucket/prefix?endpoint=http://127.0.0.1:9000&region=us-east-1&forcePathStyle=true`. */
export function parseS3Url(url: string): S3BlobStoreOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new PacsError('INVALID_ARGUMENT', 'blob store must be an s3:// URL', { cause });
  }
  if (parsed.protocol !== 's3:' || parsed.hostname === '') {
    throw new PacsError('INVALID_ARGUMENT', 'blob store must be an s3://bucket URL');
  }
  const path = decodeURIComponent(parsed.pathname.replace(/^\/+/, ''));
  const prefix = path === '' ? '' : path.endsWith('/') ? path : `${path}/`;
  const endpoint = parsed.searchParams.get('endpoint') ?? undefined;
  return {
    bucket: parsed.hostname,
    prefix,
    client: {
      region: parsed.searchParams.get('region') ?? process.env.AWS_REGION ?? 'us-east-1',
      ...(endpoint ? { endpoint } : {}),
      forcePathStyle: parsed.searchParams.get('forcePathStyle') === 'true',
    },
  };
}
