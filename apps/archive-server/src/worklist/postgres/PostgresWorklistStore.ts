import type { PostgresDatabase } from '../../adapters/postgres/PostgresDatabase.js';
import { pgCode, uniqueViolation } from '../../adapters/postgres/pgPool.js';
import type {
  PerformedProcedureStep,
  ScheduledProcedureStep,
  ScheduledProcedureStepStatus,
} from '../ScheduledProcedureStep.js';
import type { WorklistStore } from '../WorklistStore.js';
import {
  type PerformedRow,
  type ScheduledRow,
  duplicatePerformedStep,
  duplicateScheduledStep,
  performedFromRow,
  performedStepUpdateValues,
  performedStepValues,
  scheduledFromRow,
  scheduledStepValues,
} from '../worklistRows.js';

/** The SQLite worklist_* tables on PostgreSQL; `pk` keeps creation order (SQLite's rowid). */
const migrations = [
  `
CREATE TABLE worklist_scheduled_step (
  pk BIGSERIAL UNIQUE,
  scheduled_procedure_step_id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  scheduled_date TEXT NOT NULL,
  modality TEXT NOT NULL,
  station_ae_title TEXT,
  step TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX worklist_scheduled_step_date ON worklist_scheduled_step (scheduled_date, modality);
CREATE TABLE worklist_performed_step (
  pk BIGSERIAL UNIQUE,
  sop_instance_uid TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  scheduled_procedure_step_id TEXT,
  study_instance_uid TEXT,
  performed_station_ae_title TEXT,
  dataset TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX worklist_performed_step_study ON worklist_performed_step (study_instance_uid);
`,
];

/**
 * Scheduled and performed procedure steps on PostgreSQL, shared by every archive process. Two
 * modalities sending N-CREATE for one MPPS SOP Instance UID to two processes: the primary key lets
 * one win and the other gets PacsError CONFLICT, as on SQLite.
 */
export class PostgresWorklistStore implements WorklistStore {
  private constructor(private readonly db: PostgresDatabase) {}

  static async open(db: PostgresDatabase): Promise<PostgresWorklistStore> {
    await db.migrate('worklist', migrations);
    return new PostgresWorklistStore(db);
  }

  async insertScheduledStep(step: ScheduledProcedureStep): Promise<void> {
    try {
      await this.db.query(
        `INSERT INTO worklist_scheduled_step
           (scheduled_procedure_step_id, status, scheduled_date, modality, station_ae_title, step, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        scheduledStepValues(step),
      );
    } catch (cause) {
      if (pgCode(cause) === uniqueViolation) throw duplicateScheduledStep(cause);
      throw cause;
    }
  }

  async getScheduledStep(id: string): Promise<ScheduledProcedureStep | undefined> {
    const [row] = await this.db.query<ScheduledRow>(
      'SELECT step, status FROM worklist_scheduled_step WHERE scheduled_procedure_step_id = $1',
      [id],
    );
    return row ? scheduledFromRow(row) : undefined;
  }

  async listScheduledSteps(
    options: { statuses?: readonly ScheduledProcedureStepStatus[] } = {},
  ): Promise<ScheduledProcedureStep[]> {
    const statuses = options.statuses ?? [];
    const rows = await this.db.query<ScheduledRow>(
      `SELECT step, status FROM worklist_scheduled_step
       ${statuses.length > 0 ? 'WHERE status = ANY($1::text[])' : ''} ORDER BY pk`,
      statuses.length > 0 ? [statuses] : [],
    );
    return rows.map(scheduledFromRow);
  }

  async updateScheduledStepStatus(id: string, status: ScheduledProcedureStepStatus): Promise<void> {
    await this.db.query(
      'UPDATE worklist_scheduled_step SET status = $1 WHERE scheduled_procedure_step_id = $2',
      [status, id],
    );
  }

  async insertPerformedStep(step: PerformedProcedureStep): Promise<void> {
    try {
      await this.db.query(
        `INSERT INTO worklist_performed_step
           (sop_instance_uid, status, scheduled_procedure_step_id, study_instance_uid,
            performed_station_ae_title, dataset, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        performedStepValues(step),
      );
    } catch (cause) {
      if (pgCode(cause) === uniqueViolation) {
        throw duplicatePerformedStep(cause);
      }
      throw cause;
    }
  }

  async getPerformedStep(sopInstanceUID: string): Promise<PerformedProcedureStep | undefined> {
    const [row] = await this.db.query<PerformedRow>(
      'SELECT * FROM worklist_performed_step WHERE sop_instance_uid = $1',
      [sopInstanceUID],
    );
    return row ? performedFromRow(row) : undefined;
  }

  async updatePerformedStep(step: PerformedProcedureStep): Promise<void> {
    await this.db.query(
      `UPDATE worklist_performed_step
         SET status = $1, scheduled_procedure_step_id = $2, study_instance_uid = $3, dataset = $4, updated_at = $5
       WHERE sop_instance_uid = $6`,
      performedStepUpdateValues(step),
    );
  }

  async listPerformedSteps(): Promise<PerformedProcedureStep[]> {
    return (await this.db.query<PerformedRow>('SELECT * FROM worklist_performed_step ORDER BY pk')).map(
      performedFromRow,
    );
  }

  /** The pool belongs to the composition root, which closes it after every store. */
  async close(): Promise<void> {}
}
