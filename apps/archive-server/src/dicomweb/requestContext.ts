import { isValidUid, PacsError } from '@pacskit/dicom';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../security/Principal.js';

/** The DICOMweb root URL as the client sees it, for RetrieveURL and BulkDataURI (PS3.18 8.2). */
export function dicomwebBaseUrl(request: FastifyRequest, prefix: string): string {
  return `${request.protocol}://${request.headers.host ?? 'localhost'}${prefix}`;
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new PacsError('UNAUTHENTICATED', 'no principal on the request');
  return request.principal;
}

/** A UID path parameter, checked per PS3.5 9.1 (400 INVALID_UID otherwise). */
export function uidParam(value: string | undefined, name: string): string {
  if (value === undefined || !isValidUid(value)) {
    throw new PacsError('INVALID_UID', `invalid ${name} in the URL`, { details: { parameter: name } });
  }
  return value;
}
