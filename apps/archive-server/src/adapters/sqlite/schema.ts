/** The SQLite schema: one row per study, series and instance; counts kept up to date on write. */
export const schema = `
CREATE TABLE IF NOT EXISTS studies (
  pk INTEGER PRIMARY KEY,
  study_uid TEXT NOT NULL UNIQUE,
  patient_id TEXT, patient_name TEXT, patient_birth_date TEXT, patient_sex TEXT,
  study_date TEXT, study_time TEXT, accession_number TEXT, study_id TEXT,
  referring_physician_name TEXT, study_description TEXT,
  attrs TEXT NOT NULL,
  num_series INTEGER NOT NULL DEFAULT 0, num_instances INTEGER NOT NULL DEFAULT 0,
  modalities TEXT, sop_classes TEXT
);
CREATE INDEX IF NOT EXISTS studies_patient_id ON studies (patient_id);
CREATE INDEX IF NOT EXISTS studies_patient_name ON studies (patient_name COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS studies_study_date ON studies (study_date);
CREATE INDEX IF NOT EXISTS studies_accession_number ON studies (accession_number);
CREATE TABLE IF NOT EXISTS series (
  pk INTEGER PRIMARY KEY,
  series_uid TEXT NOT NULL UNIQUE,
  study_pk INTEGER NOT NULL REFERENCES studies (pk),
  modality TEXT, series_number REAL, series_description TEXT, series_date TEXT, series_time TEXT,
  attrs TEXT NOT NULL,
  num_instances INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS series_study ON series (study_pk);
CREATE INDEX IF NOT EXISTS series_modality ON series (modality);
CREATE TABLE IF NOT EXISTS instances (
  pk INTEGER PRIMARY KEY,
  sop_uid TEXT NOT NULL UNIQUE,
  series_pk INTEGER NOT NULL REFERENCES series (pk),
  sop_class_uid TEXT NOT NULL,
  instance_number REAL,
  blob_key TEXT NOT NULL,
  record TEXT NOT NULL,
  metadata TEXT NOT NULL,
  attrs TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS instances_series ON instances (series_pk);
`;
