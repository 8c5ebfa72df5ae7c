import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { freePort } from '../../testing/freePort.js';

export interface ThrowawayS3 {
  endpoint: string;
  bucket: string;
  /** s3rver accepts these fixed credentials. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  stop(): Promise<void>;
}

/** An S3-protocol server (s3rver) on 127.0.0.1 with a temp directory and one bucket. */
export async function startS3rver(bucket = 'pacskit'): Promise<ThrowawayS3> {
  const directory = mkdtempSync(join(tmpdir(), 'pacskit-s3-'));
  const port = await freePort();
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    directory,
    silent: true,
    configureBuckets: [{ name: bucket }],
  });
  await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    async stop() {
      await server.close().catch(() => undefined);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
