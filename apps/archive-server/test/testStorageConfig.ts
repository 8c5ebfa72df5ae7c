import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import type { ArchiveConfig } from '../src/config.js';
import { testStorageMode } from './storageMode.js';

/** Archive config for the current mode: nothing in embedded mode; a fresh database and blob prefix otherwise. */
export function testStorageConfig(): Partial<ArchiveConfig> {
  if (testStorageMode() === 'embedded') return {};
  const postgres = inject('pacskitPostgres');
  const s3 = inject('pacskitS3');
  if (!postgres || !s3) throw new Error('PACSKIT_TEST_STORAGE=postgres needs storageMode.globalSetup.ts');
  const name = `archive_${randomUUID().replaceAll('-', '')}`;
  execFileSync(
    '/usr/lib/postgresql/15/bin/psql',
    ['-h', postgres.host, '-p', String(postgres.port), '-U', 'postgres', '-qc', `CREATE DATABASE ${name}`],
    { stdio: 'ignore' },
  );
  // The S3 client reads its credentials from the environment, as in production.
  process.env.AWS_ACCESS_KEY_ID = s3.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = s3.secretAccessKey;
  return {
    database: `postgres://postgres@${postgres.host}:${postgres.port}/${name}`,
    blobStore: `s3://${s3.bucket}/${name}/?endpoint=${encodeURIComponent(s3.endpoint)}&region=us-east-1&forcePathStyle=true`,
  };
}
