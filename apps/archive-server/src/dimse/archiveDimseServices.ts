import type { Readable } from 'node:stream';
import type { DicomJsonAttribute, DicomJsonDataset } from '@pacskit/dicom';
import type { InstanceRecord } from '../ports/Index.js';
import type { IngestService } from '../services/IngestService.js';
import type { QueryService, SearchQuery } from '../services/QueryService.js';
import type { RetrieveService } from '../services/RetrieveService.js';
import type { WorklistService } from '../worklist/WorklistService.js';
import type { DimseRetrieveOptions, DimseServices, StoredInstanceRef } from './dimseServices.js';

const queryRetrieveLevel = '00080052';
const specificCharacterSet = '00080005';
const patientTags = ['00100010', '00100020', '00100030', '00100040', '00101000', '00104000'];
/** SOP Instance UIDs per storage-commitment query (list matching, PS3.4 C.2.2.2.2). */
const commitmentBatch = 200;

function matchingValue(attribute: DicomJsonAttribute): string {
  return (attribute.Value ?? [])
    .map((value) =>
      value && typeof value === 'object' && 'Alphabetic' in value
        ? String(value.Alphabetic ?? '')
        : String(value ?? ''),
    )
    .join('\\');
}

function firstText(dataset: DicomJsonDataset, tag: string): string | undefined {
  const value = dataset[tag]?.Value?.[0];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A C-FIND identifier as the query service's SearchQuery: matching keys plus every key returned. */
function toSearchQuery(keys: DicomJsonDataset): SearchQuery {
  const match: Record<string, string> = {};
  const includeField: string[] = [];
  for (const [tag, attribute] of Object.entries(keys)) {
    if (tag === queryRetrieveLevel || tag === specificCharacterSet) continue;
    includeField.push(tag);
    if (attribute.vr === 'SQ') continue; // sequence matching is not offered (PS3.4 C.2.2.2.6 optional)
    match[tag] = matchingValue(attribute);
  }
  return { match, includeField };
}

export interface ArchiveDimseServicesOptions {
  ingest: IngestService;
  query: QueryService;
  retrieve: RetrieveService;
  worklist?: WorklistService;
}

/**
 * The one adapter from the archive's services (the same ingest pipeline, query matching and blob
 * reads as DICOMweb) to what the DIMSE front end needs. The composition root passes its result as
 * `services` to createDimseServer.
 */
export function archiveDimseServices(options: ArchiveDimseServicesOptions): DimseServices {
  const { ingest, query, retrieve, worklist } = options;

  const instancesOfStudy = async (scope: {
    studyInstanceUID: string;
    seriesInstanceUID?: string;
  }): Promise<InstanceRecord[]> => {
    try {
      return await retrieve.instances(scope);
    } catch {
      return []; // NOT_FOUND: nothing to retrieve
    }
  };

  const studiesMatching = async (match: Record<string, string>, signal: AbortSignal): Promise<string[]> => {
    const studies = await query.searchForStudies({ match, includeField: ['0020000D'] }, { signal });
    return studies
      .map((study) => firstText(study, '0020000D'))
      .filter((uid): uid is string => uid !== undefined);
  };

  const services: DimseServices = {
    async storeInstance({ stream, source, signal }) {
      const outcome = await ingest.storeInstance({ stream, source, signal });
      return {
        status: outcome.status,
        ...(outcome.sopClassUID ? { sopClassUID: outcome.sopClassUID } : {}),
        ...(outcome.sopInstanceUID ? { sopInstanceUID: outcome.sopInstanceUID } : {}),
        ...(outcome.studyInstanceUID ? { studyInstanceUID: outcome.studyInstanceUID } : {}),
        warnings: outcome.warnings,
        // PS3.18 warning reasons 0xB000/0xB006/0xB007 are the PS3.4 C-STORE warning statuses.
        ...(outcome.warningReason !== undefined ? { warningStatus: outcome.warningReason } : {}),
        ...(outcome.failure ? { failure: outcome.failure } : {}),
      };
    },

    async search({ level, keys, signal }) {
      const search = toSearchQuery(keys);
      const studyInstanceUID = firstText(keys, '0020000D');
      const seriesInstanceUID = firstText(keys, '0020000E');
      switch (level) {
        case 'PATIENT': {
          // Patient Root, PATIENT level: one answer per Patient ID among matching studies.
          const studies = await query.searchForStudies(
            { ...search, includeField: [...(search.includeField as string[]), ...patientTags] },
            { signal },
          );
          const patients = new Map<string, DicomJsonDataset>();
          for (const study of studies) {
            const id = firstText(study, '00100020') ?? '';
            if (!patients.has(id)) patients.set(id, study);
          }
          return [...patients.values()];
        }
        case 'STUDY':
          return query.searchForStudies(search, { signal });
        case 'SERIES':
          return query.searchForSeries(search, {
            signal,
            ...(studyInstanceUID && !studyInstanceUID.includes('\\') ? { studyInstanceUID } : {}),
          });
        case 'IMAGE':
          return query.searchForInstances(search, {
            signal,
            ...(studyInstanceUID && !studyInstanceUID.includes('\\') ? { studyInstanceUID } : {}),
            ...(seriesInstanceUID && !seriesInstanceUID.includes('\\') ? { seriesInstanceUID } : {}),
          });
        default:
          return level satisfies never;
      }
    },

    async listInstances(retrieveOptions: DimseRetrieveOptions): Promise<StoredInstanceRef[]> {
      const { signal } = retrieveOptions;
      let studies: string[];
      if (retrieveOptions.studyInstanceUID) studies = [retrieveOptions.studyInstanceUID];
      else if (retrieveOptions.patientID)
        studies = await studiesMatching({ '00100020': retrieveOptions.patientID }, signal);
      else if (retrieveOptions.sopInstanceUIDs) {
        const found = await query.searchForInstances(
          { match: { '00080018': retrieveOptions.sopInstanceUIDs.join('\\') }, includeField: ['0020000D'] },
          { signal },
        );
        studies = [...new Set(found.map((instance) => firstText(instance, '0020000D') ?? ''))].filter(
          Boolean,
        );
      } else studies = [];
      const records: InstanceRecord[] = [];
      for (const studyInstanceUID of studies) {
        signal.throwIfAborted();
        records.push(
          ...(await instancesOfStudy({
            studyInstanceUID,
            ...(retrieveOptions.seriesInstanceUID
              ? { seriesInstanceUID: retrieveOptions.seriesInstanceUID }
              : {}),
          })),
        );
      }
      const wanted = retrieveOptions.sopInstanceUIDs ? new Set(retrieveOptions.sopInstanceUIDs) : undefined;
      // InstanceRecord has every StoredInstanceRef field: openInstance gets the record back.
      return wanted ? records.filter((record) => wanted.has(record.sopInstanceUID)) : records;
    },

    async openInstance({ instance }): Promise<Readable> {
      if ('blobKey' in instance) return retrieve.readInstance(instance as InstanceRecord);
      const [record] = await retrieve.instances({
        studyInstanceUID: instance.studyInstanceUID,
        seriesInstanceUID: instance.seriesInstanceUID,
        sopInstanceUID: instance.sopInstanceUID,
      });
      return retrieve.readInstance(record!);
    },

    async findStoredInstances({ references, signal }) {
      const stored = new Set<string>();
      for (let start = 0; start < references.length; start += commitmentBatch) {
        const batch = references.slice(start, start + commitmentBatch);
        const found = await query.searchForInstances(
          {
            match: { '00080018': batch.map((reference) => reference.sopInstanceUID).join('\\') },
            includeField: ['00080016', '00080018'],
          },
          { signal },
        );
        const classes = new Map(
          found.map((instance) => [firstText(instance, '00080018'), firstText(instance, '00080016')]),
        );
        for (const reference of batch) {
          if (classes.get(reference.sopInstanceUID) === reference.sopClassUID)
            stored.add(reference.sopInstanceUID);
        }
      }
      return stored;
    },
  };
  if (worklist) {
    services.searchWorklist = (worklistOptions) => worklist.searchWorklist(worklistOptions);
    services.createPerformedProcedureStep = (mpps) => worklist.createPerformedProcedureStep(mpps);
    services.updatePerformedProcedureStep = (mpps) => worklist.updatePerformedProcedureStep(mpps);
  }
  return services;
}
