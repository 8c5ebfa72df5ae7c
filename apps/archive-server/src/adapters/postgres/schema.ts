/**
 * The PostgreSQL schema, as numbered migrations. Each runs once, in order, inside the migration
 * transaction that holds the advisory lock (`migrate.ts`), so several processes starting at once
 * never race on DDL. Same tables and columns as the SQLite schema; attributes stay JSON text so a
 * record reads back byte-identical.
 */
export const migrations: readonly string[] = [
  `
CREATE TABLE studies (
  pk BIGSERIAL PRIMARY KEY,
  study_uid TEXT NOT NULL UNIQUE,
  patient_id TEXT, patient_name TEXT, patient_birth_date TEXT, patient_sex TEXT,
  study_date TEXT, study_time TEXT, accession_number TEXT, study_id TEXT,
  referring_physician_name TEXT, study_description TEXT,
  attrs TEXT NOT NULL,
  num_series INTEGER NOT NULL DEFAULT 0, num_instances INTEGER NOT NULL DEFAULT 0,
  modalities TEXT, sop_classes TEXT
);
CREATE INDEX studies_patient_id ON studies (patient_id);
CREATE INDEX studies_patient_name ON studies (lower(patient_name) text_pattern_ops);
CREATE INDEX studies_study_date ON studies (study_date);
CREATE INDEX studies_accession_number ON studies (accession_number);
CREATE TABLE series (
  pk BIGSERIAL PRIMARY KEY,
  series_uid TEXT NOT NULL UNIQUE,
  study_pk BIGINT NOT NULL REFERENCES studies (pk),
  modality TEXT, series_number DOUBLE PRECISION, series_description TEXT, series_date TEXT,
  series_time TEXT,
  attrs TEXT NOT NULL,
  num_instances INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX series_study ON series (study_pk);
CREATE INDEX series_modality ON series (modality);
CREATE TABLE instances (
  pk BIGSERIAL PRIMARY KEY,
  sop_uid TEXT NOT NULL UNIQUE,
  series_pk BIGINT NOT NULL REFERENCES series (pk),
  sop_class_uid TEXT NOT NULL,
  instance_number DOUBLE PRECISION,
  blob_key TEXT NOT NULL,
  record TEXT NOT NULL,
  metadata TEXT NOT NULL,
  attrs TEXT NOT NULL
);
CREATE INDEX instances_series ON instances (series_pk);
`,
];
