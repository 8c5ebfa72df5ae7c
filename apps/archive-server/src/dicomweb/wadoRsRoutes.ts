import { PacsError } from '@pacskit/dicom';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canTranscode, decodeFrameToNative, transcodePart10 } from '../part10/transcodePart10.js';
import { explicitVRLittleEndian } from '../part10/transferSyntax.js';
import { pixelLayoutOf } from '../render/PixelLayout.js';
import { sharedCodecWorkerPool } from '../render/sharedCodecWorkerPool.js';
import type { InstanceRecord, InstanceScope } from '../ports/Index.js';
import type { RenderedMediaType } from '../services/RenderService.js';
import { instanceUrl } from '../services/RetrieveService.js';
import type { DicomwebServices } from './DicomwebServices.js';
import { type MediaRange, mediaTypeMatches, parseAccept } from './accept.js';
import { frameMediaType } from './mediaTypes.js';
import { multipartStream, newBoundary } from './multipartWriter.js';
import { dicomwebBaseUrl, principalOf, uidParam } from './requestContext.js';

type Params = { study: string; series?: string; instance?: string; frames?: string; tag?: string };

function scopeOf(params: Params): InstanceScope {
  return {
    studyInstanceUID: uidParam(params.study, 'study'),
    ...(params.series !== undefined ? { seriesInstanceUID: uidParam(params.series, 'series') } : {}),
    ...(params.instance !== undefined ? { sopInstanceUID: uidParam(params.instance, 'instance') } : {}),
  };
}

/**
 * Picks the transfer syntax to send an instance in (PS3.18 8.7.3.5): the stored one when the
 * client accepts it ('*', the same UID, or no transfer-syntax parameter — we keep what was
 * received), else Explicit VR Little Endian: native syntaxes are re-encoded, compressed ones
 * decompressed (transcodePart10).
 */
export function negotiateInstanceSyntax(ranges: MediaRange[], stored: string): string {
  for (const range of ranges) {
    const type = range.parameters.type?.toLowerCase();
    const acceptsDicom =
      range.mediaType === '*/*' ||
      (range.mediaType === 'multipart/related' && (type === undefined || type === 'application/dicom')) ||
      range.mediaType === 'application/dicom';
    if (!acceptsDicom) continue;
    const wanted = range.parameters['transfer-syntax'];
    if (wanted === undefined || wanted === '*' || wanted === stored) return stored;
    if (wanted === explicitVRLittleEndian && canTranscode(stored, wanted)) return wanted;
  }
  throw new PacsError(
    'NOT_ACCEPTABLE',
    'none of the accepted media types or transfer syntaxes can be produced',
    {
      details: { storedTransferSyntaxUID: stored },
    },
  );
}

/** Whether an Accept header takes frames in `syntax` (PS3.18 8.7.3.3.2, 8.7.3.5). */
function acceptsFrames(ranges: MediaRange[], syntax: string): boolean {
  const partType = frameMediaType(syntax);
  return ranges.some((range) => {
    if (range.mediaType === '*/*') return true;
    const type =
      range.parameters.type ?? (range.mediaType === 'multipart/related' ? undefined : range.mediaType);
    const wanted = range.parameters['transfer-syntax'];
    const typeOk =
      type === undefined || mediaTypeMatches(type, partType) || type === 'application/octet-stream';
    const syntaxOk = wanted === undefined || wanted === '*' || wanted === syntax;
    // application/octet-stream without a transfer syntax means uncompressed (PS3.18 8.7.3.3.2).
    const octetOk = !(type === 'application/octet-stream' && wanted === undefined && partType !== type);
    return typeOk && syntaxOk && octetOk;
  });
}

function parseFrameList(text: string | undefined): number[] {
  const frames = (text ?? '').split(',').map((f) => f.trim());
  if (frames.length === 0 || frames.some((f) => !/^[1-9]\d{0,8}$/.test(f))) {
    throw new PacsError('INVALID_ARGUMENT', 'frame numbers are positive integers separated by commas');
  }
  return frames.map(Number);
}

function renderedMediaType(request: FastifyRequest): RenderedMediaType {
  for (const range of parseAccept(request.headers.accept)) {
    if (mediaTypeMatches(range.mediaType, 'image/jpeg')) return 'image/jpeg';
    if (mediaTypeMatches(range.mediaType, 'image/png')) return 'image/png';
  }
  throw new PacsError('NOT_ACCEPTABLE', 'rendered resources are image/jpeg or image/png');
}

/** `window=center,width,function` (PS3.18 8.3.5.1.4) and `viewport=rows,columns` query parameters. */
export function renderParameters(query: Record<string, string | undefined>): {
  window?: { center: number; width: number };
  viewport?: { rows: number; columns: number };
  quality?: number;
} {
  const result: ReturnType<typeof renderParameters> = {};
  if (query.window !== undefined) {
    const [center, width] = query.window.split(',').map(Number);
    if (
      center === undefined ||
      width === undefined ||
      !Number.isFinite(center) ||
      !Number.isFinite(width) ||
      width < 1
    ) {
      throw new PacsError('INVALID_ARGUMENT', 'window is center,width[,function] with width ≥ 1');
    }
    result.window = { center, width };
  }
  if (query.viewport !== undefined) {
    const [rows, columns] = query.viewport.split(',').map(Number);
    if (!rows || !columns || rows < 1 || columns < 1 || rows > 8192 || columns > 8192) {
      throw new PacsError('INVALID_ARGUMENT', 'viewport is rows,columns between 1 and 8192');
    }
    result.viewport = { rows: Math.floor(rows), columns: Math.floor(columns) };
  }
  if (query.quality !== undefined) {
    const quality = Number(query.quality);
    if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
      throw new PacsError('INVALID_ARGUMENT', 'quality is an integer from 1 to 100');
    }
    result.quality = quality;
  }
  return result;
}

/** The instance to render for a study/series/instance resource: the middle one of the first series. */
function representative(records: InstanceRecord[]): InstanceRecord {
  const withPixels = records.filter((r) => r.pixelData);
  const first = withPixels[0];
  if (!first) throw new PacsError('CANNOT_RENDER', 'nothing with pixel data to render');
  const series = withPixels.filter((r) => r.seriesInstanceUID === first.seriesInstanceUID);
  return series[Math.floor(series.length / 2)] ?? first;
}

/** WADO-RS (PS3.18 10.4): instances, metadata, frames, bulk data, rendered and thumbnail; DELETE. */
export function registerWadoRsRoutes(app: FastifyInstance, services: DicomwebServices, prefix: string): void {
  const retrieve = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
    const ranges = parseAccept(request.headers.accept);
    const records = await services.retrieve.instances(scopeOf(request.params), {
      principal: principalOf(request),
    });
    // Negotiate for every instance first so a 406 comes before the first byte.
    const syntaxes = records.map((r) => negotiateInstanceSyntax(ranges, r.transferSyntaxUID));
    const baseUrl = dicomwebBaseUrl(request, prefix);
    const boundary = newBoundary();
    const parts = records.map((record, i) => {
      const syntax = syntaxes[i] as string;
      return {
        contentType: `application/dicom; transfer-syntax=${syntax}`,
        contentLocation: instanceUrl(baseUrl, record),
        body:
          syntax === record.transferSyntaxUID
            ? // Small instances in one read; large ones streamed.
              () =>
                record.size <= 1024 * 1024
                  ? services.retrieve.readInstanceBytes(record)
                  : services.retrieve.readInstance(record)
            : // Resolves once the first frame is decoded: an undecodable first instance is a 406.
              async () =>
                transcodePart10(await services.retrieve.readInstanceBytes(record), {
                  to: syntax,
                  codecs: sharedCodecWorkerPool(),
                }),
      };
    });
    // The first part is opened before the status line goes out: a blob store that cannot be read
    // (object store down, disk error) is answered 503 instead of a 200 whose body breaks off.
    const [first, ...rest] = parts;
    const opened = first ? [{ ...first, body: await first.body() }, ...rest] : parts;
    reply.type(`multipart/related; type="application/dicom"; boundary=${boundary}`);
    return reply.send(multipartStream(opened, boundary));
  };
  app.get(`${prefix}/studies/:study`, retrieve);
  app.get(`${prefix}/studies/:study/series/:series`, retrieve);
  app.get(`${prefix}/studies/:study/series/:series/instances/:instance`, retrieve);

  const metadata = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
    const ok = parseAccept(request.headers.accept).some(
      (r) =>
        mediaTypeMatches(r.mediaType, 'application/dicom+json') ||
        mediaTypeMatches(r.mediaType, 'application/json'),
    );
    if (!ok) throw new PacsError('NOT_ACCEPTABLE', 'metadata is served as application/dicom+json');
    const json = await services.retrieve.metadata(scopeOf(request.params), dicomwebBaseUrl(request, prefix), {
      principal: principalOf(request),
    });
    reply.type('application/dicom+json');
    return json;
  };
  app.get(`${prefix}/studies/:study/metadata`, metadata);
  app.get(`${prefix}/studies/:study/series/:series/metadata`, metadata);
  app.get(`${prefix}/studies/:study/series/:series/instances/:instance/metadata`, metadata);

  app.get(
    `${prefix}/studies/:study/series/:series/instances/:instance/frames/:frames`,
    async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
      const frameNumbers = parseFrameList(request.params.frames);
      const [record] = await services.retrieve.instances(scopeOf(request.params), {
        principal: principalOf(request),
      });
      const instance = record as InstanceRecord;
      const stored = await services.retrieve.frames(instance, frameNumbers);
      const ranges = parseAccept(request.headers.accept);
      const storedSyntax = stored[0]?.transferSyntaxUID ?? explicitVRLittleEndian;
      let syntax = storedSyntax;
      let frames: Buffer[] = stored.map((frame) => frame.bytes);
      if (!acceptsFrames(ranges, storedSyntax)) {
        // Compressed frames asked for uncompressed (application/octet-stream, Explicit VR Little
        // Endian, PS3.18 8.7.3.3.2): decoded here; 406 when a frame cannot be decoded.
        if (
          !canTranscode(storedSyntax, explicitVRLittleEndian) ||
          !acceptsFrames(ranges, explicitVRLittleEndian)
        ) {
          throw new PacsError('NOT_ACCEPTABLE', 'the frames cannot be sent in an accepted media type', {
            details: { transferSyntaxUID: storedSyntax },
          });
        }
        const layout = pixelLayoutOf(instance.instance);
        const codecs = sharedCodecWorkerPool();
        frames = [];
        for (const frame of stored) {
          frames.push((await decodeFrameToNative(storedSyntax, frame.bytes, layout, codecs)).bytes);
        }
        syntax = explicitVRLittleEndian;
      }
      const partType = frameMediaType(syntax);
      const boundary = newBoundary();
      reply.type(`multipart/related; type="${partType}"; boundary=${boundary}`);
      return reply.send(
        multipartStream(
          frames.map((bytes) => ({ contentType: `${partType}; transfer-syntax=${syntax}`, body: bytes })),
          boundary,
        ),
      );
    },
  );

  app.get(
    `${prefix}/studies/:study/series/:series/instances/:instance/bulk/:tag`,
    async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
      const tag = (request.params.tag ?? '').toUpperCase();
      if (!/^[0-9A-F]{8}$/.test(tag))
        throw new PacsError('INVALID_ARGUMENT', 'the bulk data tag is 8 hex digits');
      const [record] = await services.retrieve.instances(scopeOf(request.params), {
        principal: principalOf(request),
      });
      const bytes = await services.retrieve.bulkData(record as InstanceRecord, tag);
      const boundary = newBoundary();
      reply.type(`multipart/related; type="application/octet-stream"; boundary=${boundary}`);
      return reply.send(
        multipartStream([{ contentType: 'application/octet-stream', body: bytes }], boundary),
      );
    },
  );

  const rendered =
    (thumbnail: boolean) =>
    async (
      request: FastifyRequest<{ Params: Params; Querystring: Record<string, string> }>,
      reply: FastifyReply,
    ) => {
      const mediaType = renderedMediaType(request);
      const parameters = renderParameters(request.query);
      const records = await services.retrieve.instances(scopeOf(request.params), {
        principal: principalOf(request),
      });
      const record = representative(records);
      const frameNumber = request.params.frames === undefined ? 1 : parseFrameList(request.params.frames)[0];
      const image = await services.render.render(record, {
        mediaType,
        ...parameters,
        ...(frameNumber !== undefined ? { frameNumber } : {}),
        ...(thumbnail && !parameters.viewport ? { viewport: { rows: 128, columns: 128 } } : {}),
      });
      reply.type(mediaType);
      return image;
    };
  for (const suffix of ['rendered', 'thumbnail'] as const) {
    const handler = rendered(suffix === 'thumbnail');
    app.get(`${prefix}/studies/:study/${suffix}`, handler);
    app.get(`${prefix}/studies/:study/series/:series/${suffix}`, handler);
    app.get(`${prefix}/studies/:study/series/:series/instances/:instance/${suffix}`, handler);
    app.get(`${prefix}/studies/:study/series/:series/instances/:instance/frames/:frames/${suffix}`, handler);
  }

  const remove = async (request: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
    const result = await services.delete.delete(scopeOf(request.params), { principal: principalOf(request) });
    request.log.info({ deletedInstances: result.deletedInstances }, 'deleted');
    return reply.code(204).send();
  };
  app.delete(`${prefix}/studies/:study`, remove);
  app.delete(`${prefix}/studies/:study/series/:series`, remove);
  app.delete(`${prefix}/studies/:study/series/:series/instances/:instance`, remove);
}
