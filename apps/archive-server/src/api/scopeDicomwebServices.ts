import type { DicomJsonDataset } from '@pacskit/dicom';
import { PacsError } from '@pacskit/dicom';
import type { PatientScope } from '../access/PatientScope.js';
import { allStudiesScope, applyPatientScope, isStudyVisible } from '../access/PatientScope.js';
import type { Principal } from '../access/Principal.js';
import type { DicomwebServices } from '../dicomweb/DicomwebServices.js';
import type { InstanceRecord, InstanceScope } from '../ports/Index.js';
import type { RetrieveOptions } from '../services/RetrieveService.js';
import type { SearchOptions, SearchQuery } from '../services/QueryService.js';

/** The access principal behind the core's `Principal` (which has only subject/admin). */
function scopeOf(principal: unknown): PatientScope {
  const scope = (principal as Partial<Principal> | undefined)?.patientScope;
  // A principal without a scope comes from the core's own admin Basic auth: unrestricted.
  return scope ?? allStudiesScope;
}

/**
 * Patient scope and permissions for the DICOMweb front end, as a wrapper of the core's services
 * (until QueryService/RetrieveService apply `applyPatientScope`/`isStudyVisible` themselves):
 * QIDO-RS results are narrowed and filtered, every WADO-RS/WADO-URI path (instances, metadata,
 * frames, bulk data, rendered, thumbnail) goes through `retrieve.instances` or `retrieve.metadata`
 * and answers 404 for a study the principal may not see. Permissions per method (STOW needs
 * radiology:upload) are checked by `createAuthenticateHook`.
 */
export function scopeDicomwebServices(services: DicomwebServices): DicomwebServices {
  const { query, retrieve } = services;

  async function studyVisible(
    scope: PatientScope,
    studyInstanceUID: string,
    signal?: AbortSignal,
  ): Promise<boolean> {
    if (scope.allStudies === true) return true;
    const [study] = await query.searchForStudies(
      { match: { StudyInstanceUID: studyInstanceUID }, includeField: ['PatientID'], limit: 1 },
      signal ? { signal } : {},
    );
    return study !== undefined && isStudyVisible(scope, study);
  }

  function scopedSearch(level: 'searchForStudies' | 'searchForSeries' | 'searchForInstances') {
    return async (search: SearchQuery, options: SearchOptions = {}): Promise<DicomJsonDataset[]> => {
      const scope = scopeOf(options.principal);
      if (scope.allStudies === true) return query[level](search, options);
      if (options.studyInstanceUID !== undefined) {
        return (await studyVisible(scope, options.studyInstanceUID, options.signal))
          ? query[level](search, options)
          : [];
      }
      const narrowed = applyPatientScope(scope, search);
      if (!narrowed) return [];
      // Study attributes the per-row check needs, whatever the caller asked to include.
      const includeField =
        narrowed.includeField === 'all'
          ? 'all'
          : [...(narrowed.includeField ?? []), 'PatientID', 'StudyInstanceUID'];
      const rows = await query[level]({ ...narrowed, includeField }, options);
      return rows.filter((row) => isStudyVisible(scope, row));
    };
  }

  const scopedQuery = Object.create(query) as typeof query;
  scopedQuery.searchForStudies = scopedSearch('searchForStudies');
  scopedQuery.searchForSeries = scopedSearch('searchForSeries');
  scopedQuery.searchForInstances = scopedSearch('searchForInstances');

  const scopedRetrieve = Object.create(retrieve) as typeof retrieve;
  scopedRetrieve.instances = async (
    scope: InstanceScope,
    options: RetrieveOptions = {},
  ): Promise<InstanceRecord[]> => {
    const records = await retrieve.instances(scope, options);
    const patientScope = scopeOf(options.principal);
    if (records.some((record) => !isStudyVisible(patientScope, record.study))) {
      throw new PacsError('NOT_FOUND', 'not found');
    }
    return records;
  };
  scopedRetrieve.metadata = async (scope: InstanceScope, baseUrl: string, options: RetrieveOptions = {}) => {
    const patientScope = scopeOf(options.principal);
    if (!(await studyVisible(patientScope, scope.studyInstanceUID, options.signal))) {
      throw new PacsError('NOT_FOUND', 'not found');
    }
    return retrieve.metadata(scope, baseUrl, options);
  };

  return { ...services, query: scopedQuery, retrieve: scopedRetrieve };
}
