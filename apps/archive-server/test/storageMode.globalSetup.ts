import type { TestProject } from 'vitest/node';
import { startPostgresOnFreePort } from '../src/adapters/contract/startPostgres.js';
import { startS3rver } from '../src/adapters/contract/startS3rver.js';
import { testStorageMode } from './storageMode.js';

/** Starts one throwaway PostgreSQL 15 cluster and one s3rver for a PostgreSQL-mode run (see storageMode.ts). */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (testStorageMode() === 'embedded') {
    project.provide('pacskitPostgres', null);
    project.provide('pacskitS3', null);
    return async () => undefined;
  }
  const postgres = await startPostgresOnFreePort();
  const s3 = await startS3rver();
  const url = new URL(postgres.url);
  project.provide('pacskitPostgres', { host: url.hostname, port: Number(url.port) });
  project.provide('pacskitS3', { endpoint: s3.endpoint, bucket: s3.bucket, ...s3.credentials });
  return async () => {
    await s3.stop();
    postgres.stop();
  };
}
