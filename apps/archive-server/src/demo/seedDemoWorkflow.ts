import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PacsError } from '@pacskit/dicom';
import type { AccessControl } from '../access/createAccessControl.js';
import type { Role } from '../access/permissions.js';
import type { Workflow } from '../workflow/createWorkflow.js';
import type { OrderStatus } from '../workflow/orderStatus.js';
import type { Urgency } from '../workflow/WorkflowRecords.js';
import { demoInstanceUID, demoSeriesUID } from './buildDemoInstances.js';
import { type DemoPatient, demoPatients, demoStudies } from './demoCatalog.js';
import type { DemoSeedRecord } from './seedDemoData.js';

export interface SeedDemoWorkflowOptions {
  dataDir: string;
  access: Pick<AccessControl, 'createUser' | 'createGrant'>;
  workflow: Pick<Workflow, 'orders' | 'reports' | 'annotations'>;
  /** What seedDemoData stored (study keys → UIDs). */
  imaging: DemoSeedRecord;
  /** One password for every demo account (PACSKIT_DEMO_PASSWORD); generated per account otherwise. */
  password?: string;
  now?: Date;
}

/** A demo account, with its password as created (printed once by start:demo). */
export interface DemoAccount {
  username: string;
  password: string;
  roles: Role[];
  /** What the account is for, in a few words. */
  purpose: string;
}

export interface SeedDemoWorkflowResult {
  seeded: boolean;
  accounts: DemoAccount[];
}

interface AccountPlan {
  username: string;
  displayName: string;
  roles: Role[];
  patientKey?: string;
  /** Whether the patient has already consented (the other one consents in the portal). */
  consented?: boolean;
  purpose: string;
}

const accountPlans: readonly AccountPlan[] = [
  {
    username: 'radiologist',
    displayName: 'Dr Demo Radiologist',
    roles: ['RADIOLOGIST'],
    purpose: 'reads and reports',
  },
  {
    username: 'technologist',
    displayName: 'Demo Technologist',
    roles: ['RADIOLOGY_TECH'],
    purpose: 'worklist, uploads',
  },
  {
    username: 'referrer',
    displayName: 'Dr Demo Referrer',
    roles: ['REFERRING_PHYSICIAN'],
    purpose: 'orders, views results',
  },
  {
    username: 'doctor',
    displayName: 'Dr Demo Doctor',
    roles: ['DOCTOR'],
    purpose: 'views studies and reports',
  },
  { username: 'manager', displayName: 'Demo Manager', roles: ['ADMIN'], purpose: 'administrator (token)' },
  {
    username: 'patient',
    displayName: 'Jane Demo',
    roles: ['PATIENT'],
    patientKey: 'jane',
    purpose: 'patient portal (asks for consent)',
  },
  {
    username: 'patient2',
    displayName: 'John Demo',
    roles: ['PATIENT'],
    patientKey: 'john',
    consented: true,
    purpose: 'patient portal (consent given)',
  },
];

interface StudyPlan {
  status: OrderStatus;
  urgency: Urgency;
  indication: string;
  report?: {
    status: 'draft' | 'preliminary' | 'final';
    findings: string;
    impression: string;
    patientSummary?: string;
  };
}

/** The order (and report) of each imaged study: together they cover every report state. */
const studyPlans: Record<string, StudyPlan> = {
  'jane-ct-head': {
    status: 'completed',
    urgency: 'urgent',
    indication: 'Headache and confusion after a fall.',
    report: {
      status: 'final',
      findings:
        'Small hyperdense focus in the right frontal lobe, about 2 cm, with minimal surrounding oedema. ' +
        'Ventricles of normal size. No midline shift. Punctate calcification of the pineal gland. Skull intact.',
      impression: 'Small right frontal haemorrhagic contusion. No mass effect. Follow-up CT or MR advised.',
      patientSummary:
        'The scan shows a small bruise on the right front part of the brain, most likely from your fall. ' +
        'It is not pressing on the brain. Your doctor will arrange a follow-up scan to check that it heals.',
    },
  },
  'jane-mr-brain': {
    status: 'completed',
    urgency: 'routine',
    indication: 'Follow-up of right frontal contusion.',
    report: {
      status: 'preliminary',
      findings: 'Right frontal lesion, T2 hyperintense, smaller than on the prior CT. No new lesion.',
      impression:
        'Evolving right frontal contusion, decreasing in size. Preliminary: final report to follow.',
      patientSummary: 'The bruise on your brain is getting smaller. A final report will follow.',
    },
  },
  'john-cr-chest': { status: 'completed', urgency: 'routine', indication: 'Cough for three weeks.' },
  'john-ct-head': { status: 'completed', urgency: 'stat', indication: 'Head trauma, on anticoagulants.' },
  'maria-us-thyroid': {
    status: 'completed',
    urgency: 'routine',
    indication: 'Palpable neck lump.',
    report: {
      status: 'final',
      findings: 'Well-defined anechoic cyst in the thyroid, 9 x 6 mm, with posterior acoustic enhancement.',
      impression: 'Simple thyroid cyst. Benign appearance. No follow-up needed.',
      patientSummary: 'The lump is a small fluid-filled sac (a cyst). It is harmless and needs no treatment.',
    },
  },
  'minh-dx-knee': {
    status: 'completed',
    urgency: 'routine',
    indication: 'Knee pain after sport.',
    report: { status: 'draft', findings: 'No fracture. Joint spaces preserved.', impression: '' },
  },
};

/** Orders without images yet, one in each remaining state. */
const pendingOrders: readonly {
  patientKey: string;
  modality: string;
  bodyPart: string;
  status: OrderStatus;
  daysAhead: number;
}[] = [
  { patientKey: 'jane', modality: 'CT', bodyPart: 'HEAD', status: 'scheduled', daysAhead: 7 },
  { patientKey: 'minh', modality: 'MR', bodyPart: 'KNEE', status: 'scheduled', daysAhead: 1 },
  { patientKey: 'maria', modality: 'US', bodyPart: 'NECK', status: 'arrived', daysAhead: 0 },
  { patientKey: 'john', modality: 'CR', bodyPart: 'CHEST', status: 'in_progress', daysAhead: 0 },
  { patientKey: 'minh', modality: 'CT', bodyPart: 'KNEE', status: 'cancelled', daysAhead: 2 },
];

const markerName = 'demo-workflow.json';

function patientByKey(key: string): DemoPatient {
  const patient = demoPatients.find((candidate) => candidate.key === key);
  if (!patient) throw new PacsError('INTERNAL', `unknown demo patient ${key}`);
  return patient;
}

function orderPatient(patient: DemoPatient) {
  return {
    patientId: patient.patientId,
    patientName: patient.patientName,
    patientBirthDate: patient.birthDate,
    patientSex: patient.sex,
  };
}

/**
 * The workflow half of the demo, on first start only (its own marker, so an archive seeded before
 * the workflow API existed gets it later): an account per role, orders in every state, reports in
 * every state (final and preliminary ones with a patient summary) and a measurement.
 */
export async function seedDemoWorkflow(options: SeedDemoWorkflowOptions): Promise<SeedDemoWorkflowResult> {
  const marker = join(options.dataDir, markerName);
  try {
    await readFile(marker);
    return { seeded: false, accounts: [] };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { access, workflow, imaging } = options;
  const now = options.now ?? new Date();
  const accounts: DemoAccount[] = [];
  const userIds = new Map<string, string>();
  for (const plan of accountPlans) {
    const password = options.password ?? randomBytes(9).toString('base64url');
    const patient = plan.patientKey ? patientByKey(plan.patientKey) : undefined;
    const user = await access.createUser({
      username: plan.username,
      password,
      displayName: plan.displayName,
      roles: plan.roles,
      ...(patient ? { patientIds: [patient.patientId] } : {}),
    });
    userIds.set(plan.username, user.id);
    if (patient) {
      // A grant without consent tells the portal which patient the account is; consenting in the
      // portal creates the active one (PS3.15-style consent is the patient's act, not the seed's).
      await access.createGrant(
        {
          granteeUserId: user.id,
          scopeType: 'patient',
          patientId: patient.patientId,
          accessType: 'download',
          consentGiven: plan.consented === true,
        },
        'demo-seed',
      );
    }
    accounts.push({ username: plan.username, password, roles: plan.roles, purpose: plan.purpose });
  }
  const radiologist = { userId: userIds.get('radiologist') as string, name: 'Dr Demo Radiologist' };
  const referrer = 'REFERRER^RITA';

  for (const study of demoStudies) {
    const plan = studyPlans[study.key];
    const stored = imaging.studies.find((candidate) => candidate.key === study.key);
    if (!plan || !stored) continue;
    const order = await workflow.orders.create(
      {
        ...orderPatient(patientByKey(study.patientKey)),
        modality: study.modality,
        bodyPart: study.bodyPart,
        clinicalIndication: plan.indication,
        urgency: plan.urgency,
        referringPhysician: referrer,
        scheduledAt: new Date(now.getTime() - study.daysAgo * 86_400_000).toISOString(),
        accessionNumber: stored.accessionNumber,
        studyInstanceUID: stored.studyInstanceUID,
      },
      'demo-seed',
    );
    await workflow.orders.transition(order.id, plan.status, 'demo-seed');
    if (!plan.report) continue;
    const report = await workflow.reports.create(
      {
        studyInstanceUID: stored.studyInstanceUID,
        patientId: stored.patientId,
        orderId: order.id,
        content: {
          findings: plan.report.findings,
          impression: plan.report.impression,
          patientSummary: plan.report.patientSummary,
        },
      },
      radiologist.userId,
    );
    if (plan.report.status !== 'draft')
      await workflow.reports.sign(report.id, plan.report.status, radiologist);
  }

  for (const pending of pendingOrders) {
    const order = await workflow.orders.create(
      {
        ...orderPatient(patientByKey(pending.patientKey)),
        modality: pending.modality,
        bodyPart: pending.bodyPart,
        urgency: 'routine',
        referringPhysician: referrer,
        scheduledStationAETitle: `${pending.modality}_ROOM1`,
        scheduledAt: new Date(now.getTime() + pending.daysAhead * 86_400_000).toISOString(),
      },
      'demo-seed',
    );
    const reason = pending.status === 'cancelled' ? 'patient rescheduled' : undefined;
    await workflow.orders.transition(order.id, pending.status, 'demo-seed', reason);
  }

  // The radiologist's measurement of the contusion on the head CT (slice 19, 0.9 mm pixels).
  const headCt = imaging.studies.find((candidate) => candidate.key === 'jane-ct-head');
  if (headCt) {
    await workflow.annotations.save({
      userId: radiologist.userId,
      studyInstanceUID: headCt.studyInstanceUID,
      seriesInstanceUID: demoSeriesUID(imaging.uidRoot, headCt.key, 0),
      sopInstanceUID: demoInstanceUID(imaging.uidRoot, headCt.key, 0, 18),
      frameNumber: undefined,
      kind: 'length',
      points: [
        [152, 70],
        [175, 70],
      ],
      text: 'Contusion',
      measurement: { value: 20.7, unit: 'mm' },
    });
  }

  await writeFile(marker, `${JSON.stringify({ version: 1, seededAt: now.toISOString() }, null, 2)}\n`);
  return { seeded: true, accounts };
}
