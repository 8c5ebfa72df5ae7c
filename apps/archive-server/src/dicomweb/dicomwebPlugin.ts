import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DicomwebServices } from './DicomwebServices.js';
import { registerQidoRoutes } from './qidoRoutes.js';
import { registerStowRoutes } from './stowRoutes.js';
import { registerWadoRsRoutes } from './wadoRsRoutes.js';
import { registerWadoUriRoutes } from './wadoUriRoutes.js';

export interface DicomwebPluginOptions {
  services: DicomwebServices;
  /** Resolves request.principal or throws UNAUTHENTICATED (src/security). */
  authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** Root of the DICOMweb resources (default /dicom-web). */
  prefix?: string;
  /** Path of WADO-URI (default /wado). */
  wadoUriPath?: string;
}

/**
 * The DICOMweb front end (PS3.18) as an encapsulated Fastify plugin: translates HTTP into service
 * calls and back. Register it without a prefix; routes carry their full paths.
 */
export async function dicomwebPlugin(app: FastifyInstance, options: DicomwebPluginOptions): Promise<void> {
  const prefix = options.prefix ?? '/dicom-web';
  app.addHook('onRequest', options.authenticate);
  // Bodies are streams handed to the route (STOW-RS parses multipart/related itself, streaming);
  // nothing is buffered by Fastify, so no body limit applies here.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  registerStowRoutes(app, options.services, prefix);
  registerQidoRoutes(app, options.services, prefix);
  registerWadoRsRoutes(app, options.services, prefix);
  registerWadoUriRoutes(app, options.services, options.wadoUriPath ?? '/wado');
}
