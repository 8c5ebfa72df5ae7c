import { Readable } from 'node:stream';
import { PacsError } from '@pacskit/dicom';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { transcodePart10 } from '../part10/transcodePart10.js';
import { explicitVRLittleEndian } from '../part10/transferSyntax.js';
import { sharedCodecWorkerPool } from '../render/sharedCodecWorkerPool.js';
import type { InstanceRecord } from '../ports/Index.js';
import type { DicomwebServices } from './DicomwebServices.js';
import { principalOf, uidParam } from './requestContext.js';

type Query = Record<string, string | undefined>;

function positiveInteger(query: Query, name: string): number | undefined {
  const text = query[name];
  if (text === undefined) return undefined;
  if (!/^[1-9]\d{0,8}$/.test(text))
    throw new PacsError('INVALID_ARGUMENT', `${name} must be a positive integer`);
  return Number(text);
}

/**
 * WADO-URI (PS3.18 9): `GET /wado?requestType=WADO&studyUID=…&seriesUID=…&objectUID=…` with
 * contentType application/dicom or image/jpeg (default; image/png too), frameNumber,
 * windowCenter/windowWidth, rows/columns and transferSyntax.
 */
export function registerWadoUriRoutes(app: FastifyInstance, services: DicomwebServices, path: string): void {
  app.get(path, async (request: FastifyRequest<{ Querystring: Query }>, reply: FastifyReply) => {
    const query = request.query;
    if (query.requestType !== 'WADO') throw new PacsError('INVALID_ARGUMENT', 'requestType must be WADO');
    const scope = {
      studyInstanceUID: uidParam(query.studyUID, 'studyUID'),
      seriesInstanceUID: uidParam(query.seriesUID, 'seriesUID'),
      sopInstanceUID: uidParam(query.objectUID, 'objectUID'),
    };
    const contentTypes = (query.contentType ?? 'image/jpeg').split(',').map((t) => t.trim().split(';')[0]);
    const [record] = await services.retrieve.instances(scope, { principal: principalOf(request) });
    const instance = record as InstanceRecord;
    if (contentTypes.includes('application/dicom')) {
      const wanted = query.transferSyntax;
      reply.type('application/dicom');
      if (wanted === undefined || wanted === instance.transferSyntaxUID) {
        return reply.send(await services.retrieve.readInstance(instance));
      }
      if (wanted !== explicitVRLittleEndian) {
        throw new PacsError('NOT_ACCEPTABLE', 'only the stored or Explicit VR Little Endian transfer syntax');
      }
      const transcoded = await transcodePart10(await services.retrieve.readInstanceBytes(instance), {
        to: explicitVRLittleEndian,
        codecs: sharedCodecWorkerPool(),
      });
      return reply.send(Readable.from(transcoded));
    }
    const mediaType =
      contentTypes.includes('image/jpeg') || contentTypes.includes('*/*')
        ? 'image/jpeg'
        : contentTypes.includes('image/png')
          ? 'image/png'
          : undefined;
    if (!mediaType)
      throw new PacsError('NOT_ACCEPTABLE', 'contentType must be application/dicom, image/jpeg or image/png');
    const center = query.windowCenter === undefined ? undefined : Number(query.windowCenter);
    const width = query.windowWidth === undefined ? undefined : Number(query.windowWidth);
    if ((center !== undefined && !Number.isFinite(center)) || (width !== undefined && !(width >= 1))) {
      throw new PacsError('INVALID_ARGUMENT', 'windowCenter/windowWidth must be numbers, width ≥ 1');
    }
    const rows = positiveInteger(query, 'rows');
    const columns = positiveInteger(query, 'columns');
    const frameNumber = positiveInteger(query, 'frameNumber');
    const quality = positiveInteger(query, 'imageQuality');
    const image = await services.render.render(instance, {
      mediaType,
      ...(frameNumber !== undefined ? { frameNumber } : {}),
      ...(center !== undefined && width !== undefined ? { window: { center, width } } : {}),
      ...(rows !== undefined || columns !== undefined
        ? { viewport: { rows: rows ?? columns ?? 512, columns: columns ?? rows ?? 512 } }
        : {}),
      ...(quality !== undefined && quality <= 100 ? { quality } : {}),
    });
    reply.type(mediaType);
    return image;
  });
}
