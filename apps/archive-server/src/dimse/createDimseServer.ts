import { PacsError } from '@pacskit/dicom';
import { once } from 'node:events';
import { type AddressInfo, type Server, type Socket, createServer as createTcpServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { AeTable } from './aeTable.js';
import { Implementation, silenceDcmjsDimseLog } from './dcmjsDimse.js';
import {
  DimseAssociation,
  type DimseLimits,
  type DimseOperationEvent,
  type DimsePolicy,
} from './dimseAssociation.js';
import type { DimseLogger } from './dimseLogger.js';
import { silentDimseLogger } from './dimseLogger.js';
import type { DimseServices } from './dimseServices.js';
import { defaultStorageTransferSyntaxes } from './sopClasses.js';

/** A-ABORT, source 2 (service provider), reason 0 (PS3.8 9.3.8), then close the connection. */
function abortAndClose(socket: Socket): void {
  if (socket.destroyed) return;
  socket.write(Buffer.from([0x07, 0, 0, 0, 0, 4, 0, 0, 2, 0]), () => socket.destroy());
  setTimeout(() => socket.destroy(), 1000).unref();
}

export interface DimseTlsOptions {
  key: Buffer;
  cert: Buffer;
  /** With a CA, peers must present a certificate it signed (mutual authentication, PS3.15 B.1). */
  ca?: Buffer;
}

export interface DimseServerOptions {
  host: string;
  port: number;
  aeTitle: string;
  services: DimseServices;
  aeTable: AeTable;
  policy?: Partial<DimsePolicy>;
  tls?: DimseTlsOptions;
  limits?: Partial<DimseLimits>;
  logger?: DimseLogger;
  /** Transfer syntaxes accepted for C-STORE; defaults to every standard one (stored as received). */
  storageTransferSyntaxes?: readonly string[];
  /**
   * Told of every finished operation and refused association: the composition root audits them.
   * A returned promise (the audit write) is awaited by `close()`, so none is lost on shutdown.
   */
  onOperation?: (event: DimseOperationEvent) => unknown;
}

export interface DimseServer {
  listen(): Promise<void>;
  close(): Promise<void>;
  address(): AddressInfo;
}

export const defaultDimseLimits: DimseLimits = {
  maxAssociations: 64,
  // dcmjs-dimse re-concatenates a PDU for each socket chunk: larger PDUs churn more memory.
  maxPduLength: 64 * 1024,
  idleTimeoutMs: 60_000,
};

export const defaultDimsePolicy: DimsePolicy = {
  unknownCallingAE: 'accept',
  checkCalledAE: true,
  storageCommitmentReport: 'same-association',
};

/**
 * The archive's DIMSE SCP on dcmjs-dimse 0.3.3, working around its pitfalls (FACTS.md):
 * - `Server.listen(port)` binds every interface: we own the `net`/`tls` server and bind `host`,
 *   handing each socket to dcmjs-dimse's `Scp` (our DimseAssociation).
 * - Nagle is left on (a 40 ms stall per exchange): `setNoDelay(true)` on every socket.
 * - The naturalized dcmjs path drops private tags and rewrites DS: C-STORE data sets go to the
 *   ingest pipeline as the received bytes, and C-GET/C-MOVE send the stored bytes (pDataWriter).
 * - Whole data sets are buffered: received ones are streamed with socket backpressure, sent ones
 *   streamed from the blob store waiting for `drain`.
 * - No check of PDU lengths or types, and a costly path for every C-STORE: DimseAssociation reads
 *   the PDUs itself (pduReader), aborts oversized/malformed ones and handles C-STORE-RQ directly.
 */
export function createDimseServer(options: DimseServerOptions): DimseServer {
  const limits: DimseLimits = { ...defaultDimseLimits, ...options.limits };
  const policy: DimsePolicy = { ...defaultDimsePolicy, ...options.policy };
  const logger = options.logger ?? silentDimseLogger;
  silenceDcmjsDimseLog();
  // Process-wide in dcmjs-dimse: the Maximum Length we announce in A-ASSOCIATE-AC (PS3.8 D.1).
  Implementation.setMaxPduLength(limits.maxPduLength);
  let associations = 0;
  const reportsInFlight = new Set<Promise<unknown>>();
  const track =
    (onOperation: (event: DimseOperationEvent) => unknown) =>
    (event: DimseOperationEvent): void => {
      const written = onOperation(event);
      if (!(written instanceof Promise)) return;
      const settled: Promise<unknown> = written
        .catch(() => undefined)
        .finally(() => reportsInFlight.delete(settled));
      reportsInFlight.add(settled);
    };
  const sockets = new Set<Socket>();
  const open = new Set<DimseAssociation>();
  const context = {
    aeTitle: options.aeTitle,
    services: options.services,
    aeTable: options.aeTable,
    policy,
    limits,
    logger,
    storageTransferSyntaxes: new Set(options.storageTransferSyntaxes ?? defaultStorageTransferSyntaxes),
    tls: options.tls,
    onOperation: options.onOperation && track(options.onOperation),
    acquireSlot: () => {
      if (associations >= limits.maxAssociations) return false;
      associations += 1;
      return true;
    },
    releaseSlot: () => {
      associations -= 1;
    },
  };

  const onSocket = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    const association = new DimseAssociation(socket, context);
    open.add(association);
    socket.on('close', () => open.delete(association));
    // Association idle timeout: ours, not dcmjs-dimse's (DimseAssociation stops its timer, which
    // only counts the PDUs dcmjs-dimse reads itself).
    // PS3.8 9.1.5 / 9.2.3: on ARTIM expiry the transport connection is simply closed.
    socket.setTimeout(limits.idleTimeoutMs, () => {
      logger.info({ remoteAddress: socket.remoteAddress }, 'association idle timeout: closing');
      socket.destroy();
    });
    association.on('networkError', (error: Error) => {
      logger.warn(
        { remoteAddress: socket.remoteAddress, reason: error.message },
        'association closed on error',
      );
      abortAndClose(socket);
    });
  };

  const server: Server = options.tls
    ? createTlsServer(
        {
          key: options.tls.key,
          cert: options.tls.cert,
          ...(options.tls.ca ? { ca: options.tls.ca, requestCert: true, rejectUnauthorized: true } : {}),
        },
        onSocket,
      )
    : createTcpServer(onSocket);
  server.on('error', (error) => logger.error({ err: error }, 'DIMSE server error'));

  return {
    async listen() {
      server.listen(options.port, options.host);
      await once(server, 'listening');
      logger.info({ aeTitle: options.aeTitle, ...(server.address() as AddressInfo) }, 'DIMSE listening');
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Operation reports are held back (DimseAssociation.flushReports): hand them to the audit
      // trail now, before the composition root closes the stores.
      for (const association of open) association.flushReports();
      for (const socket of sockets) socket.destroy();
      await closed;
      await Promise.all(reportsInFlight);
    },
    address() {
      const address = server.address();
      if (!address || typeof address === 'string')
        throw new PacsError('UNAVAILABLE', 'DIMSE server is not listening');
      return address;
    },
  };
}
