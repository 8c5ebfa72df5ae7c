/**
 * Issue 9: the same suites run in both storage modes. `PACSKIT_TEST_STORAGE=postgres` (set by
 * test/runBothModes.sh for the second run) makes every archive a test starts use PostgreSQL for
 * the index and an S3-protocol server for the blobs, started once per run by
 * storageMode.globalSetup.ts; each archive gets its own database and its own key prefix.
 */
export type TestStorageMode = 'embedded' | 'postgres';

export function testStorageMode(): TestStorageMode {
  return process.env.PACSKIT_TEST_STORAGE === 'postgres' ? 'postgres' : 'embedded';
}

/** The test files that run a second time with PostgreSQL + S3 (the rest do not touch storage, or test the embedded files themselves). */
export const bothModesTestFiles = [
  'test/storageMode.test.ts',
  'test/dicomweb.test.ts',
  'test/workflowIngest.test.ts',
  'test/badInput.test.ts',
  'test/sockets.test.ts',
  'test/characterSet.test.ts',
  'test/highGroupTags.test.ts',
  'test/orthancConformance.test.ts',
  'src/dimse/test/archive.test.ts',
  'src/dimse/test/audit.test.ts',
  'src/api/withArchive.test.ts',
  'src/api/apiPlugin.workflow.test.ts',
  'src/api/apiPlugin.access.test.ts',
  'src/api/apiPlugin.attacks.test.ts',
  'src/api/apiRoutes.coverage.test.ts',
  'src/api/dicomwebScope.test.ts',
  'src/demo/seedDemoData.test.ts',
];

/** What storageMode.globalSetup.ts provides to the test workers (null in the embedded mode). */
declare module 'vitest' {
  interface ProvidedContext {
    pacskitPostgres: { host: string; port: number } | null;
    pacskitS3: { endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string } | null;
  }
}
