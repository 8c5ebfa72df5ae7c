import type { DicomJsonDataset } from '@pacskit/dicom';
import { PacsError, isPacsError } from '@pacskit/dicom';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DicomwebServices } from './DicomwebServices.js';
import { parseContentType, parseMultipartRelated } from './multipartRelated.js';
import { dicomwebBaseUrl, principalOf, uidParam } from './requestContext.js';
import { isDicomJsonStow, storeDicomJson } from './stowJson.js';
import { type StowSlot, outcomesInOrder } from './stowOutcomes.js';

/** Processing failure (PS3.4 Table B.2-1 0x0110) for a part we could not even read. */
const processingFailure = 0x0110;

/**
 * STOW-RS (PS3.18 10.5): multipart/related; type="application/dicom", one instance per part; DICOM
 * JSON with bulk data (type="application/dicom+json") is handled by stowJson.ts.
 */
export function registerStowRoutes(app: FastifyInstance, services: DicomwebServices, prefix: string): void {
  const handler = async (request: FastifyRequest<{ Params: { study?: string } }>) => {
    const expectedStudy =
      request.params.study === undefined ? undefined : uidParam(request.params.study, 'study');
    const { mediaType, parameters } = parseContentType(request.headers['content-type']);
    if (isDicomJsonStow(mediaType, parameters.type)) {
      const outcomes = await storeDicomJson(request, services.ingest, {
        mediaType,
        parameters,
        expectedStudy,
      });
      return { outcomes, baseUrl: dicomwebBaseUrl(request, prefix), expectedStudy };
    }
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
    // Parts are staged as they stream in and committed together: the response (and so every
    // acknowledgement) comes only after the group commit made them durable.
    const batch = services.ingest.createBatch();
    const order: StowSlot[] = [];
    let brokenBody: PacsError | undefined;
    try {
      for await (const part of parseMultipartRelated(request.body as AsyncIterable<Uint8Array>, boundary)) {
        const partType = parseContentType(part.headers['content-type'] ?? type ?? '').mediaType;
        if (partType !== 'application/dicom') {
          for await (const _ of part.body) {
            // skip the part
          }
          order.push({
            status: 'failed',
            sopClassUID: undefined,
            sopInstanceUID: undefined,
            studyInstanceUID: undefined,
            warnings: [],
            failure: new PacsError('UNSUPPORTED_MEDIA_TYPE', 'a part is not application/dicom'),
          });
          continue;
        }
        order.push('batch');
        await batch.add({
          stream: part.body,
          ...(expectedStudy !== undefined ? { expectedStudyInstanceUID: expectedStudy } : {}),
          source: { protocol: 'STOW-RS', remoteAddress: request.ip },
          principal,
        });
      }
    } catch (error) {
      if (!isPacsError(error)) {
        await batch.commit();
        throw error;
      }
      brokenBody = error;
    }
    const outcomes = outcomesInOrder(order, await batch.commit(), request.log);
    if (brokenBody) {
      if (outcomes.length === 0) throw new PacsError('INVALID_ARGUMENT', brokenBody.message);
      request.log.warn({ code: brokenBody.code }, brokenBody.message);
      // The part being read when the body broke already carries this failure.
      if (outcomes.at(-1)?.failure?.message !== brokenBody.message) {
        outcomes.push({
          status: 'failed',
          sopClassUID: undefined,
          sopInstanceUID: undefined,
          studyInstanceUID: undefined,
          warnings: [],
          failure: new PacsError('INVALID_ARGUMENT', brokenBody.message),
        });
      }
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
    // Nothing stored because a dependency is down (object store, database): 503 with its reason,
    // as when the request cannot start, not a 409 that reads as a problem with the instances.
    const unavailable = failed.find((o) => o.failure?.code === 'UNAVAILABLE')?.failure;
    if (unavailable && stored.length === 0 && failed.every((o) => o.failure?.code === 'UNAVAILABLE'))
      throw unavailable;
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
