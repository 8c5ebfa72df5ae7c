import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DicomJsonDataset } from '@pacskit/dicom';
import Fastify, { type FastifyInstance } from 'fastify';
import { createAccessControl } from '../../access/createAccessControl.js';
import { openStores } from '../../adapters/openStorage.js';
import type { Role } from '../../access/permissions.js';
import { createAuditLog } from '../../audit/createAuditLog.js';
import { createWorkflow } from '../../workflow/createWorkflow.js';
import { apiPlugin } from '../apiPlugin.js';
import type { StudyCatalog } from '../StudyCatalog.js';

export const studyA = '1.2.826.0.1.3680043.10.1.1';
export const studyB = '1.2.826.0.1.3680043.10.1.2';

function study(uid: string, patientId: string, accession: string): DicomJsonDataset {
  return {
    '00080020': { vr: 'DA', Value: ['20260110'] },
    '00080030': { vr: 'TM', Value: ['101500'] },
    '00080050': { vr: 'SH', Value: [accession] },
    '00080061': { vr: 'CS', Value: ['CT'] },
    '00100010': { vr: 'PN', Value: [{ Alphabetic: `Patient^${patientId}` }] },
    '00100020': { vr: 'LO', Value: [patientId] },
    '0020000D': { vr: 'UI', Value: [uid] },
    '00201206': { vr: 'IS', Value: [1] },
    '00201208': { vr: 'IS', Value: [2] },
  };
}

/** An in-memory catalog with two patients' studies, matching like QIDO on the keys the API sends. */
export function createMemoryCatalog(): StudyCatalog & { studies: DicomJsonDataset[] } {
  const studies = [study(studyA, 'PID-A', 'ACC-A'), study(studyB, 'PID-B', 'ACC-B')];
  const tags: Record<string, string> = {
    PatientID: '00100020',
    StudyInstanceUID: '0020000D',
    AccessionNumber: '00080050',
    StudyDate: '00080020',
    ModalitiesInStudy: '00080061',
  };
  return {
    studies,
    async listInstances(uid) {
      return uid === studyA || uid === studyB
        ? [1, 2].map((n) => ({
            '0020000E': { vr: 'UI', Value: [`${uid}.1`] },
            '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.2'] },
            '00080018': { vr: 'UI', Value: [`${uid}.1.${n}`] },
          }))
        : [];
    },
    async findStudy(uid) {
      return studies.find((s) => s['0020000D']?.Value?.[0] === uid);
    },
    async searchStudies(match, { limit, offset }) {
      return studies
        .filter((s) =>
          Object.entries(match).every(([key, value]) => {
            const values = (s[tags[key] ?? key]?.Value ?? []) as string[];
            return value === '' || value.split('\\').some((v) => values.includes(v));
          }),
        )
        .slice(offset, offset + limit);
    },
    async listSeries(uid) {
      return uid === studyA || uid === studyB
        ? [
            {
              '0020000E': { vr: 'UI', Value: [`${uid}.1`] },
              '00080060': { vr: 'CS', Value: ['CT'] },
              '00200011': { vr: 'IS', Value: [1] },
              '00201209': { vr: 'IS', Value: [2] },
            },
          ]
        : [];
    },
  };
}

export interface TestApi {
  app: FastifyInstance;
  clock: { t: number; now(): number };
  access: ReturnType<typeof createAccessControl>;
  audit: ReturnType<typeof createAuditLog>;
  workflow: ReturnType<typeof createWorkflow>;
  storedSr: Uint8Array[];
  users: Record<string, { id: string; token: string }>;
  close(): Promise<void>;
}

const people: [string, Role[], string[]][] = [
  ['admin', ['ADMIN'], []],
  ['rad', ['RADIOLOGIST'], []],
  ['tech', ['RADIOLOGY_TECH'], []],
  ['doctor', ['DOCTOR'], []],
  ['patientA', ['PATIENT'], ['PID-A']],
  ['patientB', ['PATIENT'], ['PID-B']],
];

/**
 * The API on real stores — SQLite in a temp dir, or PostgreSQL when `database` is given (the
 * suites run in both modes, test/storageMode.ts) — with one user per role and patients A and B
 * consenting.
 */
export async function createTestApi(options: { database?: string } = {}): Promise<TestApi> {
  const dir = mkdtempSync(join(tmpdir(), 'pacskit-api-'));
  const stores = await openStores({ dataDir: dir, ...options });
  const clock = {
    t: Date.UTC(2026, 0, 15, 12),
    now() {
      return this.t;
    },
  };
  const access = createAccessControl({
    store: stores.access,
    clock,
    config: {
      jwtSecret: new TextEncoder().encode('test-secret-test-secret-test-secret-42'),
      passwordHashCost: 10,
    },
  });
  const audit = createAuditLog({ store: stores.audit, clock });
  const storedSr: Uint8Array[] = [];
  const workflow = createWorkflow({
    store: stores.workflow,
    clock,
    config: { patientReleaseEmbargoHours: 24 },
    storeInstance: async (bytes) => void storedSr.push(bytes),
  });
  const app = Fastify({ logger: false });
  await app.register(apiPlugin, {
    access,
    audit,
    workflow,
    studies: createMemoryCatalog(),
    clock,
    shareLinkBaseUrl: 'https://portal.example/view',
  });
  await app.ready();
  const users: TestApi['users'] = {};
  for (const [name, roles, patientIds] of people) {
    const user = await access.createUser({ username: name, password: `${name}-password`, roles, patientIds });
    if (patientIds[0]) {
      await access.createGrant(
        {
          granteeUserId: user.id,
          scopeType: 'patient',
          patientId: patientIds[0],
          accessType: 'view',
          consentGiven: true,
        },
        'setup',
      );
    }
    users[name] = { id: user.id, token: (await access.login(name, `${name}-password`)).tokens.accessToken };
  }
  return {
    app,
    clock,
    access,
    audit,
    workflow,
    storedSr,
    users,
    async close() {
      await app.close();
      await stores.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}
