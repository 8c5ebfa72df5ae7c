import type { DicomJsonDataset } from '@pacskit/dicom';
import { PacsError, isPacsError } from '@pacskit/dicom';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { StoreOutcome } from '../services/IngestService.js';
import type { DicomwebServices } from './DicomwebServices.js';
import { parseContentType, parseMultipartRelated } from './multipartRelated.js';
import { dicomwebBaseUrl, principalOf, uidParam } from './requestContext.js';

/** Processing failure (PS3.4 Table B.2-1 0x0110) for a part we could not even read. */
const processingFailure = 0x0110;

/** STOW-RS (PS3.18 10.5): multipart/related; type="application/dicom", one instance per part. */
export function registerStowRoutes(app: FastifyInstance, services: DicomwebServices, prefix: string): void {
  const handler = async (request: FastifyRequest<{ Params: { study?: string } }>) => {
    const expectedStudy =
      request.params.study === undefined ? undefined : uidParam(request.params.study, 'study');
    const { mediaType, parameters } = parseContentType(request.headers['content-type']);
    if (mediaType !== 'multipart/related') {
      throw new PacsError('UNSUPPORTED_MEDIA_TYPE', 'STOW-RS needs Content-Type multipart/related', {
        details: { mediaType },
      });
    }
    const type = parameters.type?.toLowerCase();
    if (type !== undefined && type !== 'application/dicom') {
      throw new PacsError('UNSUPPORTED_MEDIA_TYPE', 'only type="application/dicom" parts are accepted', {
        details: { type },
      });
    }
    const boundary = parameters.boundary;
    if (!boundary)
      throw new PacsError('UNSUPPORTED_MEDIA_TYPE', 'the multipart Content-Type has no boundary');
    const principal = principalOf(request);
    const outcomes: StoreOutcome[] = [];
    try {
      for await (const part of parseMultipartRelated(request.body as AsyncIterable<Uint8Array>, boundary)) {
        const partType = parseContentType(part.headers['content-type'] ?? type ?? '').mediaType;
        if (partType !== 'application/dicom') {
          for await (const _ of part.body) {
            // skip the part
          }
          outcomes.push({
            status: 'failed',
            sopClassUID: undefined,
            sopInstanceUID: undefined,
            studyInstanceUID: undefined,
            warnings: [],
            failure: new PacsError('UNSUPPORTED_MEDIA_TYPE', 'a part is not application/dicom'),
          });
          continue;
        }
        const outcome = await services.ingest.storeInstance({
          stream: part.body,
          ...(expectedStudy !== undefined ? { expectedStudyInstanceUID: expectedStudy } : {}),
          source: { protocol: 'STOW-RS', remoteAddress: request.ip },
          principal,
        });
        if (outcome.failure) {
          // No patient data: the code, the message (patient-free by contract) and the details.
          request.log.warn(
            { code: outcome.failure.code, details: outcome.failure.details },
            outcome.failure.message,
          );
        }
        outcomes.push(outcome);
      }
    } catch (error) {
      if (!isPacsError(error) || outcomes.length === 0) {
        throw isPacsError(error, 'UNSUPPORTED_MEDIA_TYPE')
          ? new PacsError('INVALID_ARGUMENT', error.message)
          : error;
      }
      request.log.warn({ code: error.code }, error.message);
      // The part being read when the body broke already carries this failure.
      if (outcomes.at(-1)?.failure?.message === error.message)
        return { outcomes, baseUrl: dicomwebBaseUrl(request, prefix), expectedStudy };
      outcomes.push({
        status: 'failed',
        sopClassUID: undefined,
        sopInstanceUID: undefined,
        studyInstanceUID: undefined,
        warnings: [],
        failure: new PacsError('INVALID_ARGUMENT', error.message),
      });
    }
    if (outcomes.length === 0) throw new PacsError('INVALID_ARGUMENT', 'the multipart body has no parts');
    return { outcomes, baseUrl: dicomwebBaseUrl(request, prefix), expectedStudy };
  };

  const route = async (
    request: FastifyRequest<{ Params: { study?: string } }>,
    reply: import('fastify').FastifyReply,
  ) => {
    const { outcomes, baseUrl, expectedStudy } = await handler(request);
    const stored = outcomes.filter((o) => o.status !== 'failed');
    const failed = outcomes.filter((o) => o.status === 'failed');
    const warned = outcomes.some((o) => o.status === 'warning');
    const body: DicomJsonDataset = {};
    const studyUid = expectedStudy ?? stored[0]?.studyInstanceUID;
    if (studyUid && stored.every((o) => o.studyInstanceUID === studyUid) && stored.length > 0) {
      body['00081190'] = { vr: 'UR', Value: [`${baseUrl}/studies/${studyUid}`] };
    }
    if (failed.length > 0) {
      body['00081198'] = {
        vr: 'SQ',
        Value: failed.map((o) => ({
          ...(o.sopClassUID
            ? { '00081150': { vr: 'UI', Value: [o.sopClassUID] } }
            : { '00081150': { vr: 'UI' } }),
          ...(o.sopInstanceUID
            ? { '00081155': { vr: 'UI', Value: [o.sopInstanceUID] } }
            : { '00081155': { vr: 'UI' } }),
          '00081197': { vr: 'US', Value: [o.failure ? o.failure.statusForDimse : processingFailure] },
        })),
      };
    }
    if (stored.length > 0) {
      body['00081199'] = {
        vr: 'SQ',
        Value: stored.map((o) => ({
          '00081150': { vr: 'UI', Value: [o.sopClassUID as string] },
          '00081155': { vr: 'UI', Value: [o.sopInstanceUID as string] },
          '00081190': {
            vr: 'UR',
            Value: [
              `${baseUrl}/studies/${o.studyInstanceUID}/series/${o.seriesInstanceUID}/instances/${o.sopInstanceUID}`,
            ],
          },
          ...(o.warningReason !== undefined ? { '00081196': { vr: 'US', Value: [o.warningReason] } } : {}),
        })),
      };
    }
    // PS3.18 10.5.3: 200 all stored, 202 some failed or with warnings, 409 none stored.
    const status = stored.length === 0 ? 409 : failed.length > 0 || warned ? 202 : 200;
    reply.code(status).type('application/dicom+json');
    return body;
  };
  app.post(`${prefix}/studies`, route);
  app.post(`${prefix}/studies/:study`, route);
}
