import type { DicomJsonDataset } from '@pacskit/dicom';
import type { QueryService } from '../services/QueryService.js';

/**
 * What the workflow API and FHIR need to know about stored studies. The composition root backs it
 * with the core's QueryService (`studyCatalogFromQueryService`); tests use an in-memory one.
 * Results are unscoped: callers filter with `isStudyVisible`.
 */
export interface StudyCatalog {
  /** Study-level attributes (DICOM JSON), or undefined when the study is not stored. */
  findStudy(
    studyInstanceUID: string,
    options?: { signal?: AbortSignal },
  ): Promise<DicomJsonDataset | undefined>;
  /** QIDO-style study search by keyword matching keys. */
  searchStudies(
    match: Record<string, string>,
    options: { limit: number; offset: number; signal?: AbortSignal },
  ): Promise<DicomJsonDataset[]>;
  /** Series-level attributes of a study (FHIR ImagingStudy.series). */
  listSeries(studyInstanceUID: string, options?: { signal?: AbortSignal }): Promise<DicomJsonDataset[]>;
  /** Instance-level attributes of a study (SOP Class/Instance UIDs for SR references). */
  listInstances(studyInstanceUID: string, options?: { signal?: AbortSignal }): Promise<DicomJsonDataset[]>;
}

/** The catalog over the core's QueryService (QIDO-RS semantics, all attributes returned). */
export function studyCatalogFromQueryService(query: QueryService): StudyCatalog {
  return {
    async findStudy(studyInstanceUID, options = {}) {
      const rows = await query.searchForStudies(
        { match: { StudyInstanceUID: studyInstanceUID }, includeField: 'all', limit: 1 },
        options.signal ? { signal: options.signal } : {},
      );
      return rows[0];
    },
    searchStudies(match, options) {
      return query.searchForStudies(
        { match, includeField: 'all', limit: options.limit, offset: options.offset },
        options.signal ? { signal: options.signal } : {},
      );
    },
    listSeries(studyInstanceUID, options = {}) {
      return query.searchForSeries(
        { includeField: 'all' },
        { studyInstanceUID, ...(options.signal ? { signal: options.signal } : {}) },
      );
    },
    listInstances(studyInstanceUID, options = {}) {
      return query.searchForInstances(
        {},
        { studyInstanceUID, ...(options.signal ? { signal: options.signal } : {}) },
      );
    },
  };
}
