import Database from 'better-sqlite3';
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

const schema = `
CREATE TABLE IF NOT EXISTS worklist_scheduled_step (
  scheduled_procedure_step_id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  scheduled_date TEXT NOT NULL,
  modality TEXT NOT NULL,
  station_ae_title TEXT,
  step JSON NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS worklist_scheduled_step_date ON worklist_scheduled_step (scheduled_date, modality);
CREATE TABLE IF NOT EXISTS worklist_performed_step (
  sop_instance_uid TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  scheduled_procedure_step_id TEXT,
  study_instance_uid TEXT,
  performed_station_ae_title TEXT,
  dataset JSON NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS worklist_performed_step_study ON worklist_performed_step (study_instance_uid);
`;

/**
 * The worklist's own tables (worklist_*) in the archive's SQLite database: pass the index file's
 * path (a second connection, WAL) or ':memory:' in tests.
 */
export class SqliteWorklistStore implements WorklistStore {
  readonly #db: Database.Database;

  constructor(path: string) {
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(schema);
  }

  async insertScheduledStep(step: ScheduledProcedureStep): Promise<void> {
    try {
      this.#db
        .prepare(
          `INSERT INTO worklist_scheduled_step
             (scheduled_procedure_step_id, status, scheduled_date, modality, station_ae_title, step, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(...scheduledStepValues(step));
    } catch (cause) {
      if (String((cause as { code?: string }).code).startsWith('SQLITE_CONSTRAINT')) {
        throw duplicateScheduledStep(cause);
      }
      throw cause;
    }
  }

  async getScheduledStep(id: string): Promise<ScheduledProcedureStep | undefined> {
    const row = this.#db
      .prepare('SELECT step, status FROM worklist_scheduled_step WHERE scheduled_procedure_step_id = ?')
      .get(id) as ScheduledRow | undefined;
    return row ? scheduledFromRow(row) : undefined;
  }

  async listScheduledSteps(
    options: { statuses?: readonly ScheduledProcedureStepStatus[] } = {},
  ): Promise<ScheduledProcedureStep[]> {
    const statuses = options.statuses ?? [];
    const where = statuses.length > 0 ? `WHERE status IN (${statuses.map(() => '?').join(', ')})` : '';
    const rows = this.#db
      .prepare(`SELECT step, status FROM worklist_scheduled_step ${where} ORDER BY rowid`)
      .all(...statuses) as ScheduledRow[];
    return rows.map(scheduledFromRow);
  }

  async updateScheduledStepStatus(id: string, status: ScheduledProcedureStepStatus): Promise<void> {
    this.#db
      .prepare('UPDATE worklist_scheduled_step SET status = ? WHERE scheduled_procedure_step_id = ?')
      .run(status, id);
  }

  async insertPerformedStep(step: PerformedProcedureStep): Promise<void> {
    try {
      this.#db
        .prepare(
          `INSERT INTO worklist_performed_step
             (sop_instance_uid, status, scheduled_procedure_step_id, study_instance_uid,
              performed_station_ae_title, dataset, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(...performedStepValues(step));
    } catch (cause) {
      if (String((cause as { code?: string }).code).startsWith('SQLITE_CONSTRAINT')) {
        throw duplicatePerformedStep(cause);
      }
      throw cause;
    }
  }

  async getPerformedStep(sopInstanceUID: string): Promise<PerformedProcedureStep | undefined> {
    const row = this.#db
      .prepare('SELECT * FROM worklist_performed_step WHERE sop_instance_uid = ?')
      .get(sopInstanceUID) as PerformedRow | undefined;
    return row ? performedFromRow(row) : undefined;
  }

  async updatePerformedStep(step: PerformedProcedureStep): Promise<void> {
    this.#db
      .prepare(
        `UPDATE worklist_performed_step
           SET status = ?, scheduled_procedure_step_id = ?, study_instance_uid = ?, dataset = ?, updated_at = ?
         WHERE sop_instance_uid = ?`,
      )
      .run(...performedStepUpdateValues(step));
  }

  async listPerformedSteps(): Promise<PerformedProcedureStep[]> {
    const rows = this.#db
      .prepare('SELECT * FROM worklist_performed_step ORDER BY rowid')
      .all() as PerformedRow[];
    return rows.map(performedFromRow);
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}
