import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePart10 } from '@pacskit/dicom';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createArchive } from '../main.js';
import { buildDemoInstances, demoStudyIdentity } from './buildDemoInstances.js';
import { demoPatients, demoStudies } from './demoCatalog.js';
import { seedDemoData } from './seedDemoData.js';
import { testStorageConfig } from '../../test/testStorageConfig.js';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pacskit-demo-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function qido(path: string) {
  return {
    method: 'GET' as const,
    url: `/dicom-web${path}`,
    headers: { authorization: `Basic ${btoa('admin:pw')}` },
  };
}

describe('seedDemoData', () => {
  test('stores CT, MR, CR, DX and US studies on the first start and nothing on the second', async () => {
    const storage = testStorageConfig();
    const first = await createArchive({ dataDir, adminPassword: 'pw', logLevel: 'silent', ...storage });
    try {
      const seeded = await seedDemoData({ dataDir, ingest: first.services.ingest });
      expect(seeded.seeded).toBe(true);
      expect(seeded.record.studies).toHaveLength(demoStudies.length);
      const response = await first.app.inject(qido('/studies?includefield=00080061'));
      expect(response.statusCode).toBe(200);
      const studies = response.json() as { '00080061'?: { Value?: string[] } }[];
      expect(studies).toHaveLength(demoStudies.length);
      const modalities = new Set(studies.flatMap((study) => study['00080061']?.Value ?? []));
      expect([...modalities].sort()).toEqual(['CR', 'CT', 'DX', 'MR', 'US']);
    } finally {
      await first.close();
    }
    const second = await createArchive({ dataDir, adminPassword: 'pw', logLevel: 'silent', ...storage });
    try {
      const again = await seedDemoData({ dataDir, ingest: second.services.ingest });
      expect(again.seeded).toBe(false);
      const response = await second.app.inject(qido('/studies'));
      expect(response.json()).toHaveLength(demoStudies.length);
    } finally {
      await second.close();
    }
  }, 60_000);
});

test('an interrupted seed runs again without doubling studies, even under the reject policy', async () => {
  const storage = testStorageConfig();
  const first = await createArchive({
    ...storage,
    dataDir,
    adminPassword: 'pw',
    logLevel: 'silent',
    duplicatePolicy: 'reject',
  });
  try {
    // Interrupt the first seed after a few instances.
    const controller = new AbortController();
    let stored = 0;
    const ingest = {
      storeInstance: async (input: Parameters<typeof first.services.ingest.storeInstance>[0]) => {
        const outcome = await first.services.ingest.storeInstance(input);
        if (++stored === 5) controller.abort();
        return outcome;
      },
    };
    await expect(seedDemoData({ dataDir, ingest, signal: controller.signal })).rejects.toThrow();
    const again = await seedDemoData({ dataDir, ingest: first.services.ingest });
    expect(again.seeded).toBe(true);
    const response = await first.app.inject(qido('/studies'));
    expect(response.json()).toHaveLength(demoStudies.length);
  } finally {
    await first.close();
  }
}, 60_000);

describe('buildDemoInstances', () => {
  test('writes Part 10 files with real geometry and pixel data of the declared size', () => {
    const study = demoStudies.find((candidate) => candidate.modality === 'CT');
    const patient = demoPatients.find((candidate) => candidate.key === study?.patientKey);
    if (!study || !patient) throw new Error('the catalogue has no CT study');
    const identity = demoStudyIdentity(study, new Date('2026-01-15T10:00:00Z'), 'root');
    const [first] = buildDemoInstances(patient, study, identity, 'root');
    if (!first) throw new Error('no instance built');
    const { dataset } = parsePart10(first);
    expect(dataset['00080016']?.Value).toEqual(['1.2.840.10008.5.1.4.1.1.2']);
    expect(dataset['00080020']?.Value).toEqual(['20251216']);
    expect(dataset['00280010']?.Value).toEqual([256]);
    expect(dataset['00200037']?.Value).toEqual([1, 0, 0, 0, 1, 0]);
    expect(dataset['0020000D']?.Value).toEqual([identity.studyInstanceUID]);
    // 256 × 256 pixels of 16 bits, after the header.
    expect(first.byteLength).toBeGreaterThan(256 * 256 * 2);
  });

  test('derives the same UIDs from the same root, so an interrupted seed does not double studies', () => {
    const study = demoStudies[0];
    const patient = demoPatients[0];
    if (!study || !patient) throw new Error('empty catalogue');
    const uids = (root: string) => {
      const identity = demoStudyIdentity(study, new Date(0), root);
      const [bytes] = buildDemoInstances(patient, study, identity, root);
      return parsePart10(bytes as Uint8Array).dataset['00080018']?.Value?.[0];
    };
    expect(uids('a')).toBe(uids('a'));
    expect(uids('a')).not.toBe(uids('b'));
    expect(String(uids('a'))).toMatch(/^2\.25\.\d{1,39}$/);
  });
});
