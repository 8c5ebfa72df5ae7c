import { randomBytes, randomUUID } from 'node:crypto';
import { matchDataset, PacsError, queryText } from '@pacskit/dicom';
import type { DicomJsonAttribute, DicomJsonDataset, ValueRepresentation } from '@pacskit/dicom';
import {
  type PerformedProcedureStep,
  type PerformedProcedureStepStatus,
  type ScheduledProcedureStep,
  type ScheduledProcedureStepStatus,
  scheduledProcedureStepInputSchema,
} from './ScheduledProcedureStep.js';
import type { WorklistStore } from './WorklistStore.js';
import type {
  ScheduledProcedureStepSink,
  ScheduledProcedureStep as WorkflowScheduledProcedureStep,
} from '../workflow/ScheduledProcedureStepSink.js';

/** An MPPS status change, for the workflow's orders (createOrderService's onMppsStatus). */
export interface PerformedStepStatusEvent {
  accessionNumber?: string;
  studyInstanceUID?: string;
  status: PerformedProcedureStepStatus;
}

export interface WorklistServiceOptions {
  /** Called after each MPPS N-CREATE / status-changing N-SET is stored. */
  onPerformedStepStatus?: (event: PerformedStepStatusEvent) => Promise<unknown>;
}

const scheduledProcedureStepSequence = '00400100';
const scheduledProcedureStepStatus = '00400020';
const performedProcedureStepStatus = '00400252';
const scheduledStepAttributesSequence = '00400270';
/** Steps a modality should still see (PS3.3 C.4.10 Scheduled Procedure Step Status). */
const openStatuses: readonly ScheduledProcedureStepStatus[] = ['SCHEDULED', 'ARRIVED', 'READY'];

function attribute(vr: ValueRepresentation, value: string | undefined): DicomJsonAttribute {
  if (value === undefined || value === '') return { vr };
  return vr === 'PN' ? { vr, Value: [{ Alphabetic: value }] } : { vr, Value: [value] };
}

function text(dataset: DicomJsonDataset | undefined, tag: string): string | undefined {
  const value = dataset?.[tag]?.Value?.[0];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A scheduled step as a Modality Worklist C-FIND match (PS3.4 K.6.1.2 return keys). */
export function scheduledStepToDicomJson(step: ScheduledProcedureStep): DicomJsonDataset {
  return {
    '00080005': { vr: 'CS', Value: ['ISO_IR 192'] },
    '00080050': attribute('SH', step.accessionNumber),
    '00080090': attribute('PN', step.referringPhysicianName),
    '00100010': attribute('PN', step.patientName),
    '00100020': attribute('LO', step.patientID),
    '00100030': attribute('DA', step.patientBirthDate),
    '00100040': attribute('CS', step.patientSex),
    '0020000D': attribute('UI', step.studyInstanceUID),
    '00321060': attribute('LO', step.requestedProcedureDescription),
    '00401001': attribute('SH', step.requestedProcedureID ?? step.scheduledProcedureStepID),
    [scheduledProcedureStepSequence]: {
      vr: 'SQ',
      Value: [
        {
          '00080060': attribute('CS', step.modality),
          '00400001': attribute('AE', step.scheduledStationAETitle),
          '00400002': attribute('DA', step.scheduledProcedureStepStartDate),
          '00400003': attribute('TM', step.scheduledProcedureStepStartTime),
          '00400006': attribute('PN', step.scheduledPerformingPhysicianName),
          '00400007': attribute('LO', step.scheduledProcedureStepDescription),
          '00400009': attribute('SH', step.scheduledProcedureStepID),
          [scheduledProcedureStepStatus]: attribute('CS', step.status),
        },
      ],
    },
  };
}

function mergeDataset(base: DicomJsonDataset, changes: DicomJsonDataset): DicomJsonDataset {
  return { ...base, ...changes };
}

/**
 * The Modality Worklist and MPPS service (PS3.4 K, F): scheduled procedure steps are created
 * through `POST /api/worklist` until the workflow API feeds them from orders; modalities query
 * them with C-FIND and report progress with MPPS N-CREATE/N-SET, which moves the scheduled step
 * along and links the performed step to the study.
 */
export class WorklistService implements ScheduledProcedureStepSink {
  readonly #store: WorklistStore;
  readonly #options: WorklistServiceOptions;

  constructor(store: WorklistStore, options: WorklistServiceOptions = {}) {
    this.#store = store;
    this.#options = options;
  }

  /** ScheduledProcedureStepSink: an order's step, pushed by the workflow (createOrderService). */
  async schedule(step: WorkflowScheduledProcedureStep): Promise<void> {
    const start = new Date(step.scheduledStartAt);
    const pad = (value: number) => String(value).padStart(2, '0');
    await this.scheduleStep({
      scheduledProcedureStepID: step.scheduledProcedureStepID,
      patientID: step.patientID,
      patientName: step.patientName,
      ...(step.patientBirthDate ? { patientBirthDate: step.patientBirthDate } : {}),
      ...(step.patientSex === 'M' || step.patientSex === 'F' || step.patientSex === 'O'
        ? { patientSex: step.patientSex }
        : {}),
      accessionNumber: step.accessionNumber,
      requestedProcedureID: step.requestedProcedureID,
      requestedProcedureDescription: step.requestedProcedureDescription,
      studyInstanceUID: step.studyInstanceUID,
      ...(step.referringPhysicianName ? { referringPhysicianName: step.referringPhysicianName } : {}),
      modality: step.modality,
      ...(step.scheduledStationAETitle ? { scheduledStationAETitle: step.scheduledStationAETitle } : {}),
      scheduledProcedureStepStartDate: `${start.getUTCFullYear()}${pad(start.getUTCMonth() + 1)}${pad(start.getUTCDate())}`,
      scheduledProcedureStepStartTime: `${pad(start.getUTCHours())}${pad(start.getUTCMinutes())}${pad(start.getUTCSeconds())}`,
      ...(step.performingPhysicianName
        ? { scheduledPerformingPhysicianName: step.performingPhysicianName }
        : {}),
      scheduledProcedureStepDescription: step.requestedProcedureDescription,
    });
  }

  /** ScheduledProcedureStepSink: the order was cancelled, so its steps leave the worklist. */
  async cancel(accessionNumber: string): Promise<void> {
    for (const step of await this.#store.listScheduledSteps({ statuses: openStatuses })) {
      if (step.accessionNumber === accessionNumber) {
        await this.#store.updateScheduledStepStatus(step.scheduledProcedureStepID, 'DISCONTINUED');
      }
    }
  }

  async #notify(dataset: DicomJsonDataset, status: PerformedProcedureStepStatus): Promise<void> {
    if (!this.#options.onPerformedStepStatus) return;
    const scheduled = dataset[scheduledStepAttributesSequence]?.Value?.[0] as DicomJsonDataset | undefined;
    const accessionNumber = text(scheduled, '00080050');
    const studyInstanceUID = text(scheduled, '0020000D');
    await this.#options.onPerformedStepStatus({
      ...(accessionNumber ? { accessionNumber } : {}),
      ...(studyInstanceUID ? { studyInstanceUID } : {}),
      status,
    });
  }

  async scheduleStep(input: unknown): Promise<ScheduledProcedureStep> {
    const parsed = scheduledProcedureStepInputSchema.safeParse(input);
    if (!parsed.success) {
      throw new PacsError('INVALID_ARGUMENT', 'invalid scheduled procedure step', {
        details: {
          issues: parsed.error.issues.map((issue) => ({ path: issue.path, message: issue.message })),
        },
      });
    }
    const step: ScheduledProcedureStep = {
      ...parsed.data,
      scheduledProcedureStepID:
        parsed.data.scheduledProcedureStepID ?? `SPS${randomBytes(6).toString('hex').toUpperCase()}`,
      // PS3.5 B.2: a UUID-derived UID when the order did not bring one.
      studyInstanceUID:
        parsed.data.studyInstanceUID ?? `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString()}`,
      status: 'SCHEDULED',
      createdAt: new Date().toISOString(),
    };
    await this.#store.insertScheduledStep(step);
    return step;
  }

  listScheduledSteps(): Promise<ScheduledProcedureStep[]> {
    return this.#store.listScheduledSteps();
  }

  listPerformedSteps(): Promise<PerformedProcedureStep[]> {
    return this.#store.listPerformedSteps();
  }

  /** Modality Worklist C-FIND: open steps unless the query asks for a status (PS3.4 K.4.1.1.3). */
  async searchWorklist(options: {
    keys: DicomJsonDataset;
    signal?: AbortSignal;
  }): Promise<DicomJsonDataset[]> {
    const stepKeys = options.keys[scheduledProcedureStepSequence]?.Value?.[0] as DicomJsonDataset | undefined;
    const askedStatus = stepKeys
      ? queryText(stepKeys[scheduledProcedureStepStatus] ?? { vr: 'CS' }).trim()
      : '';
    const steps = await this.#store.listScheduledSteps(askedStatus === '' ? { statuses: openStatuses } : {});
    options.signal?.throwIfAborted();
    // PS3.4 C.2.2.2: the one matching implementation shared with C-FIND and QIDO-RS.
    return steps.map(scheduledStepToDicomJson).filter((dataset) => matchDataset(options.keys, dataset));
  }

  /** MPPS N-CREATE (PS3.4 F.7.2.1): the step must start IN PROGRESS. */
  async createPerformedProcedureStep(options: {
    sopInstanceUID: string;
    dataset: DicomJsonDataset;
  }): Promise<void> {
    const status = text(options.dataset, performedProcedureStepStatus);
    if (status !== 'IN PROGRESS') {
      throw new PacsError(
        'INVALID_ARGUMENT',
        'N-CREATE must set Performed Procedure Step Status to IN PROGRESS',
        {
          details: { tag: performedProcedureStepStatus },
        },
      );
    }
    const scheduled = (options.dataset[scheduledStepAttributesSequence]?.Value?.[0] ?? undefined) as
      | DicomJsonDataset
      | undefined;
    const scheduledProcedureStepID = text(scheduled, '00400009');
    const now = new Date().toISOString();
    await this.#store.insertPerformedStep({
      sopInstanceUID: options.sopInstanceUID,
      status: 'IN PROGRESS',
      scheduledProcedureStepID,
      studyInstanceUID: text(scheduled, '0020000D'),
      performedStationAETitle: text(options.dataset, '00400241'),
      dataset: JSON.stringify(options.dataset),
      createdAt: now,
      updatedAt: now,
    });
    if (scheduledProcedureStepID && (await this.#store.getScheduledStep(scheduledProcedureStepID))) {
      await this.#store.updateScheduledStepStatus(scheduledProcedureStepID, 'STARTED');
    }
    await this.#notify(options.dataset, 'IN PROGRESS');
  }

  /** MPPS N-SET (PS3.4 F.7.2.2): only while IN PROGRESS; COMPLETED / DISCONTINUED are final. */
  async updatePerformedProcedureStep(options: {
    sopInstanceUID: string;
    dataset: DicomJsonDataset;
  }): Promise<void> {
    const existing = await this.#store.getPerformedStep(options.sopInstanceUID);
    if (!existing) throw new PacsError('NOT_FOUND', 'no such performed procedure step');
    if (existing.status !== 'IN PROGRESS') {
      throw new PacsError('CONFLICT', `the performed procedure step is already ${existing.status}`);
    }
    const requested = text(options.dataset, performedProcedureStepStatus) ?? existing.status;
    if (requested !== 'IN PROGRESS' && requested !== 'COMPLETED' && requested !== 'DISCONTINUED') {
      throw new PacsError('INVALID_ARGUMENT', 'invalid Performed Procedure Step Status', {
        details: { tag: performedProcedureStepStatus },
      });
    }
    const status = requested as PerformedProcedureStepStatus;
    const dataset = mergeDataset(JSON.parse(existing.dataset) as DicomJsonDataset, options.dataset);
    await this.#store.updatePerformedStep({
      ...existing,
      status,
      dataset: JSON.stringify(dataset),
      updatedAt: new Date().toISOString(),
    });
    if (status !== 'IN PROGRESS' && existing.scheduledProcedureStepID) {
      if (await this.#store.getScheduledStep(existing.scheduledProcedureStepID)) {
        await this.#store.updateScheduledStepStatus(existing.scheduledProcedureStepID, status);
      }
    }
    if (status !== 'IN PROGRESS') await this.#notify(dataset, status);
  }
}
