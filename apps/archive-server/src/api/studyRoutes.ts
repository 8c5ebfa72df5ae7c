import type { DicomJsonDataset } from '@pacskit/dicom';
import { PacsError, toFhirImagingStudy } from '@pacskit/dicom';
import { z } from 'zod';
import { applyPatientScope, isStudyVisible } from '../access/PatientScope.js';
import type { Principal } from '../access/Principal.js';
import type { ApiDependencies } from './ApiDependencies.js';
import { type ApiRoute, route } from './ApiRoute.js';
import { limitSchema, offsetSchema, patientIdSchema, uidSchema } from './schemas.js';
import { requirePrincipal, visibleStudy } from './studyAccess.js';

/** A scoped study search: narrowed for the index, then every row checked (PatientScope). */
export async function searchVisibleStudies(
  deps: ApiDependencies,
  principal: Principal,
  match: Record<string, string>,
  page: { limit: number; offset: number },
): Promise<DicomJsonDataset[]> {
  const scoped = applyPatientScope(principal.patientScope, { match });
  if (!scoped) return [];
  const rows = await deps.studies.searchStudies(scoped.match ?? {}, page);
  return rows.filter((row) => isStudyVisible(principal.patientScope, row));
}

const fhirJson = 'application/fhir+json';

/**
 * Study lookups for the portals, and the read-only FHIR ImagingStudy endpoint (same rules), from
 * @pacskit/dicom's mapping; the resource id is the Study Instance UID (a valid FHIR id).
 */
export function studyRoutes(deps: ApiDependencies): ApiRoute[] {
  return [
    route({
      method: 'GET',
      url: '/api/v1/studies',
      summary: 'Search studies visible to the caller (patients: their own, under an active grant)',
      tag: 'studies',
      auth: 'radiology:view',
      query: z.strictObject({
        PatientID: patientIdSchema.optional(),
        AccessionNumber: z
          .string()
          .max(16)
          .regex(/^[^\\*?]*$/)
          .optional(),
        StudyDate: z
          .string()
          .regex(/^(\d{8})?(-(\d{8})?)?$/)
          .optional(),
        ModalitiesInStudy: z
          .string()
          .regex(/^[A-Z0-9_]{1,16}$/)
          .optional(),
        limit: limitSchema,
        offset: offsetSchema,
      }),
      audit: { type: 'study.search', category: 'query', action: 'E' },
      async handler({ query, principal, audit }) {
        const p = requirePrincipal(principal);
        const { limit, offset, ...match } = query;
        const clean = Object.fromEntries(Object.entries(match).filter(([, v]) => v !== undefined)) as Record<
          string,
          string
        >;
        if (query.PatientID) audit.patientId = query.PatientID;
        const rows = await searchVisibleStudies(deps, p, clean, { limit, offset });
        audit.detail = { results: rows.length };
        return rows;
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/studies/:studyInstanceUID',
      summary: 'Study attributes (DICOM JSON); 404 when absent or not visible',
      tag: 'studies',
      auth: 'radiology:view',
      params: z.strictObject({ studyInstanceUID: uidSchema }),
      audit: { type: 'study.read', category: 'instances-accessed', action: 'R' },
      async handler({ params, principal, audit }) {
        return visibleStudy(deps, requirePrincipal(principal), params.studyInstanceUID, audit);
      },
    }),
    route({
      method: 'GET',
      url: '/fhir/ImagingStudy',
      summary: 'FHIR R4 ImagingStudy search by patient and identifier (searchset Bundle)',
      tag: 'fhir',
      auth: 'radiology:view',
      produces: fhirJson,
      query: z.strictObject({
        patient: z.string().min(1).max(80).optional(),
        identifier: z.string().min(1).max(128).optional(),
        _count: z.coerce.number().int().min(1).max(1000).default(100),
      }),
      audit: { type: 'fhir.imagingstudy.search', category: 'query', action: 'E' },
      async handler({ query, principal, reply, audit }) {
        const p = requirePrincipal(principal);
        const match: Record<string, string> = {};
        if (query.patient !== undefined) {
          const id = query.patient.replace(/^Patient\//, '');
          if (!patientIdSchema.safeParse(id).success)
            throw new PacsError('INVALID_ARGUMENT', 'invalid patient');
          match.PatientID = id;
          audit.patientId = id;
        }
        if (query.identifier !== undefined) {
          // token search: [system|]value; urn:oid:<uid> or a bare UID is a study, anything else an accession.
          const value = query.identifier.includes('|')
            ? query.identifier.split('|').pop()!
            : query.identifier;
          const uid = value.replace(/^urn:oid:/, '');
          if (uidSchema.safeParse(uid).success) match.StudyInstanceUID = uid;
          else if (/^[^\\*?]{1,16}$/.test(value)) match.AccessionNumber = value;
          else throw new PacsError('INVALID_ARGUMENT', 'invalid identifier');
        }
        const rows = await searchVisibleStudies(deps, p, match, { limit: query._count, offset: 0 });
        const entries = [];
        for (const study of rows) {
          const uid = study['0020000D']?.Value?.[0];
          const series = typeof uid === 'string' ? await deps.studies.listSeries(uid) : [];
          entries.push({
            fullUrl: `ImagingStudy/${uid}`,
            resource: { id: uid, ...toFhirImagingStudy({ study, series }) },
            search: { mode: 'match' },
          });
        }
        audit.detail = { results: entries.length };
        reply.type(fhirJson);
        return { resourceType: 'Bundle', type: 'searchset', total: entries.length, entry: entries };
      },
    }),
    route({
      method: 'GET',
      url: '/fhir/ImagingStudy/:id',
      summary: 'FHIR R4 ImagingStudy read (id = Study Instance UID)',
      tag: 'fhir',
      auth: 'radiology:view',
      produces: fhirJson,
      params: z.strictObject({ id: uidSchema }),
      audit: { type: 'fhir.imagingstudy.read', category: 'instances-accessed', action: 'R' },
      async handler({ params, principal, reply, audit }) {
        const study = await visibleStudy(deps, requirePrincipal(principal), params.id, audit);
        const series = await deps.studies.listSeries(params.id);
        reply.type(fhirJson);
        return { id: params.id, ...toFhirImagingStudy({ study, series }) };
      },
    }),
  ];
}
