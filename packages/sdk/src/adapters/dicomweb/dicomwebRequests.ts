import { PacsError } from '@pacskit/dicom';
import type { DicomJsonDataset } from '@pacskit/dicom';
import type { HttpResponse, QueryValue } from '../../http/httpTransport.js';
import { parseMediaType } from '../../multipart/parseMediaType.js';
import { parseMultipartRelated } from '../../multipart/parseMultipartRelated.js';
import type { SearchOptions } from '../../pacsAdapter.js';

/**
 * Fills the UIDs a study- or series-scoped QIDO-RS answer may leave out (PS3.18 10.6.3.3: the
 * resource path already names them; the PacsKit archive omits them) from the path.
 */
export function withScope(
  datasets: DicomJsonDataset[],
  scope: { studyInstanceUID?: string; seriesInstanceUID?: string },
): DicomJsonDataset[] {
  return datasets.map((dataset) => {
    const filled = { ...dataset };
    if (scope.studyInstanceUID && !filled['0020000D']?.Value?.length) {
      filled['0020000D'] = { vr: 'UI', Value: [scope.studyInstanceUID] };
    }
    if (scope.seriesInstanceUID && !filled['0020000E']?.Value?.length) {
      filled['0020000E'] = { vr: 'UI', Value: [scope.seriesInstanceUID] };
    }
    return filled;
  });
}

/** The parts of a WADO-RS answer: multipart, or one single part (PS3.18 8.7.3.5.2). */
export function bodyParts(response: HttpResponse, source: string) {
  const type = parseMediaType(response.contentType).type;
  if (type.startsWith('multipart/')) {
    return parseMultipartRelated(response.body, response.contentType, {
      source,
      httpStatus: response.status,
    });
  }
  if (type === 'text/html' || type.endsWith('json') || type === '' || type.startsWith('text/')) {
    throw new PacsError('BAD_RESPONSE', `expected DICOM or bulk data, got ${type || 'no Content-Type'}`, {
      source,
      httpStatus: response.status,
    });
  }
  return [{ headers: {}, contentType: response.contentType, data: response.body }];
}

/** QIDO-RS query parameters (PS3.18 8.3.4). */
export function qidoQuery(search: SearchOptions | undefined): Record<string, QueryValue> {
  const query: Record<string, QueryValue> = {};
  for (const [key, value] of Object.entries(search?.query ?? {})) query[key] = value;
  if (search?.includeField === 'all') query.includefield = 'all';
  else if (search?.includeField && search.includeField.length > 0) query.includefield = search.includeField;
  if (search?.fuzzyMatching) query.fuzzymatching = 'true';
  if (search?.limit !== undefined) query.limit = search.limit;
  if (search?.offset !== undefined) query.offset = search.offset;
  return query;
}

export function instancePath(request: {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
}): string {
  return `/studies/${uid(request.studyInstanceUID)}/series/${uid(request.seriesInstanceUID)}/instances/${uid(request.sopInstanceUID)}`;
}

/** UIDs go into paths; encode so that a malformed one cannot change the path. */
export function uid(value: string): string {
  return encodeURIComponent(value);
}

export function randomBoundary(): string {
  const random =
    typeof globalThis.crypto?.randomUUID === 'function'
      ? globalThis.crypto.randomUUID()
      : `${Date.now().toString(16)}${Math.random().toString(16).slice(2)}`;
  return `pacskit-${random}`;
}
