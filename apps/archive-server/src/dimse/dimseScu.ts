import { once } from 'node:events';
import { connect as connectTcp } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { PacsError } from '@pacskit/dicom';
import type { DicomJsonDataset } from '@pacskit/dicom';
import type { RemoteApplicationEntity } from './aeTable.js';
import { Client, Dataset, association, constants, requests } from './dcmjsDimse.js';
import { DimseAssociation } from './dimseAssociation.js';
import { silentDimseLogger } from './dimseLogger.js';
import type { DimseRequest, DimseResponse } from './dcmjsDimse.js';
import { dicomJsonToNaturalized, naturalizedToDicomJson } from './dicomJsonBridge.js';
import type { DimseQueryLevel, DimseServices, StoredInstanceRef } from './dimseServices.js';
import { openStoreAssociation, sendStoreSubOperation } from './storeSubOperation.js';
import { defaultStorageTransferSyntaxes, sopClass } from './sopClasses.js';

const { Status } = constants;

export interface ScuContext {
  callingAE: string;
  tls?: { key: Buffer; cert: Buffer; ca?: Buffer } | undefined;
}

export interface SubOperationProgress {
  remaining: number;
  completed: number;
  failed: number;
  warning: number;
}

/**
 * Runs requests on one association with dcmjs-dimse's Client; resolves with every response. The
 * requests here carry no data set of archive data (C-ECHO, C-FIND and C-MOVE identifiers), so its
 * naturalized encoding is harmless; stored instances go through storeToRemote (raw bytes).
 */
function runClient(
  context: ScuContext,
  remote: RemoteApplicationEntity,
  request: DimseRequest,
  signal: AbortSignal,
  onResponse?: (response: DimseResponse) => void,
): Promise<DimseResponse[]> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    const collected: DimseResponse[] = [];
    let failure: PacsError | undefined;
    request.on('response', (response: DimseResponse) => {
      collected.push(response);
      onResponse?.(response);
    });
    client.addRequest(request);
    client.on('associationRejected', () => {
      failure = new PacsError('ASSOCIATION_FAILED', 'association rejected', { source: remote.aeTitle });
    });
    client.on('networkError', (error: Error) => {
      failure ??= new PacsError('ASSOCIATION_FAILED', error.message, { source: remote.aeTitle });
    });
    client.on('closed', () => {
      if (failure) reject(failure);
      else if (collected.length === 0)
        reject(new PacsError('ASSOCIATION_FAILED', 'no response', { source: remote.aeTitle }));
      else resolve(collected);
    });
    const abort = () => {
      failure = new PacsError('ABORTED', 'cancelled', { source: remote.aeTitle });
      try {
        client.abort();
      } catch {
        // not connected yet: the close that follows reports the abort
      }
    };
    signal.addEventListener('abort', abort, { once: true });
    client.send(remote.host, remote.port, context.callingAE, remote.aeTitle, {
      connectTimeout: 10_000,
      associationTimeout: 30_000,
      pduTimeout: 60_000,
      ...(remote.tls && context.tls
        ? {
            securityOptions: {
              key: context.tls.key,
              cert: context.tls.cert,
              ...(context.tls.ca ? { ca: context.tls.ca } : {}),
              rejectUnauthorized: context.tls.ca !== undefined,
            },
          }
        : {}),
    });
  });
}

function finalStatus(responses: DimseResponse[]): number {
  return responses.at(-1)?.getStatus() ?? Status.ProcessingFailure;
}

/** C-ECHO (PS3.4 A). */
export async function echoRemote(options: {
  context: ScuContext;
  remote: RemoteApplicationEntity;
  signal: AbortSignal;
}) {
  const status = finalStatus(
    await runClient(options.context, options.remote, new requests.CEchoRequest(), options.signal),
  );
  if (status !== Status.Success)
    throw new PacsError('ASSOCIATION_FAILED', `C-ECHO status 0x${status.toString(16)}`);
}

/** C-FIND at any level (Patient Root for PATIENT, Study Root otherwise); matches as DICOM JSON. */
export async function findRemote(options: {
  context: ScuContext;
  remote: RemoteApplicationEntity;
  level: DimseQueryLevel;
  keys: DicomJsonDataset;
  signal: AbortSignal;
}): Promise<DicomJsonDataset[]> {
  const request = new requests.CFindRequest();
  request.setAffectedSopClassUid(
    options.level === 'PATIENT' ? sopClass.patientRootFind : sopClass.studyRootFind,
  );
  request.setDataset(
    new Dataset({ ...dicomJsonToNaturalized(options.keys), QueryRetrieveLevel: options.level }),
  );
  const responses = await runClient(options.context, options.remote, request, options.signal);
  const status = finalStatus(responses);
  if (status !== Status.Success)
    throw new PacsError('ASSOCIATION_FAILED', `C-FIND status 0x${status.toString(16)}`);
  return responses
    .filter((response) => response.getStatus() === Status.Pending && response.getDataset())
    .map((response) => naturalizedToDicomJson(response.getDataset()!.getElements()));
}

/** C-MOVE from a remote AE to `destinationAE` (this archive, to retrieve into it). */
export async function moveFromRemote(options: {
  context: ScuContext;
  remote: RemoteApplicationEntity;
  destinationAE: string;
  studyInstanceUID: string;
  seriesInstanceUID?: string;
  signal: AbortSignal;
  onProgress?: (progress: SubOperationProgress) => void;
}): Promise<SubOperationProgress> {
  const request = options.seriesInstanceUID
    ? requests.CMoveRequest.createSeriesMoveRequest(
        options.destinationAE,
        options.studyInstanceUID,
        options.seriesInstanceUID,
      )
    : requests.CMoveRequest.createStudyMoveRequest(options.destinationAE, options.studyInstanceUID);
  const progressOf = (response: DimseResponse): SubOperationProgress => {
    const counts = response as unknown as {
      getRemaining(): number;
      getCompleted(): number;
      getFailures(): number;
      getWarnings(): number;
    };
    return {
      remaining: Number(counts.getRemaining() ?? 0),
      completed: Number(counts.getCompleted() ?? 0),
      failed: Number(counts.getFailures() ?? 0),
      warning: Number(counts.getWarnings() ?? 0),
    };
  };
  const responses = await runClient(options.context, options.remote, request, options.signal, (response) =>
    options.onProgress?.(progressOf(response)),
  );
  const last = responses.at(-1)!;
  const progress = progressOf(last);
  if (last.getStatus() !== Status.Success) {
    throw new PacsError('SUBOPERATIONS_FAILED', `C-MOVE status 0x${last.getStatus().toString(16)}`, {
      source: options.remote.aeTitle,
      details: { ...progress },
    });
  }
  return progress;
}

/** C-STORE of stored instances to a remote AE, the stored bytes as they are (storeSubOperation). */
export async function storeToRemote(options: {
  context: ScuContext;
  remote: RemoteApplicationEntity;
  services: DimseServices;
  instances: readonly StoredInstanceRef[];
  signal: AbortSignal;
  onProgress?: (progress: SubOperationProgress) => void;
}): Promise<SubOperationProgress> {
  const progress: SubOperationProgress = {
    remaining: options.instances.length,
    completed: 0,
    failed: 0,
    warning: 0,
  };
  const association = await openStoreAssociation({
    callingAE: options.context.callingAE,
    destination: options.remote,
    instances: options.instances,
    tls: options.context.tls,
    signal: options.signal,
  });
  try {
    for (const instance of options.instances) {
      options.signal.throwIfAborted();
      const status = await sendStoreSubOperation({
        network: association.network,
        presentationContextID: association.pickContext(instance),
        instance,
        services: options.services,
        signal: options.signal,
      });
      progress.remaining -= 1;
      if (status === Status.Success) progress.completed += 1;
      else if ((status & 0xf000) === 0xb000) progress.warning += 1;
      else progress.failed += 1;
      options.onProgress?.({ ...progress });
    }
  } finally {
    await association.close();
  }
  if (progress.failed > 0) {
    throw new PacsError('SUBOPERATIONS_FAILED', 'some instances were not stored', {
      source: options.remote.aeTitle,
      details: { ...progress },
    });
  }
  return progress;
}

/** Transfer syntaxes offered for each storage context of a C-GET (stored as received). */
const getStorageSyntaxes = [
  '1.2.840.10008.1.2.1',
  '1.2.840.10008.1.2',
  '1.2.840.10008.1.2.4.50',
  '1.2.840.10008.1.2.4.51',
  '1.2.840.10008.1.2.4.57',
  '1.2.840.10008.1.2.4.70',
  '1.2.840.10008.1.2.4.80',
  '1.2.840.10008.1.2.4.81',
  '1.2.840.10008.1.2.4.90',
  '1.2.840.10008.1.2.4.91',
  '1.2.840.10008.1.2.5',
];

/**
 * C-GET from a remote AE into this archive (PS3.4 C.4.3): the SOP classes are learnt with an
 * IMAGE-level C-FIND, proposed with the SCP role (PS3.7 D.3.3.4), and the incoming C-STOREs are
 * handled by a DimseAssociation on our outbound socket — the same streaming, raw-bytes ingest as
 * the SCP.
 */
export async function getFromRemote(options: {
  context: ScuContext;
  remote: RemoteApplicationEntity;
  services: DimseServices;
  studyInstanceUID: string;
  seriesInstanceUID?: string;
  signal: AbortSignal;
  onProgress?: (progress: SubOperationProgress) => void;
}): Promise<SubOperationProgress> {
  const { remote, context } = options;
  const matches = await findRemote({
    context,
    remote,
    level: 'IMAGE',
    keys: {
      '0020000D': { vr: 'UI', Value: [options.studyInstanceUID] },
      '0020000E': options.seriesInstanceUID ? { vr: 'UI', Value: [options.seriesInstanceUID] } : { vr: 'UI' },
      '00080016': { vr: 'UI' },
      '00080018': { vr: 'UI' },
    },
    signal: options.signal,
  });
  const sopClasses = [
    ...new Set(
      matches.map((match) => match['00080016']?.Value?.[0]).filter((v): v is string => typeof v === 'string'),
    ),
  ].slice(0, 120);
  if (sopClasses.length === 0)
    throw new PacsError('NOT_FOUND', 'nothing to retrieve', { source: remote.aeTitle });

  const socket =
    remote.tls && context.tls
      ? connectTls({
          host: remote.host,
          port: remote.port,
          key: context.tls.key,
          cert: context.tls.cert,
          ...(context.tls.ca ? { ca: context.tls.ca } : {}),
          rejectUnauthorized: context.tls.ca !== undefined,
        })
      : connectTcp({ host: remote.host, port: remote.port });
  socket.setNoDelay(true);
  const receiver = new DimseAssociation(socket, {
    aeTitle: context.callingAE,
    services: options.services,
    aeTable: { lookup: () => undefined },
    policy: { unknownCallingAE: 'reject', checkCalledAE: true },
    limits: { maxAssociations: 1, maxPduLength: 64 * 1024, idleTimeoutMs: 60_000 },
    logger: silentDimseLogger,
    storageTransferSyntaxes: new Set(defaultStorageTransferSyntaxes),
    acquireSlot: () => true,
    releaseSlot: () => undefined,
    tls: context.tls,
  });
  receiver.on('networkError', () => socket.destroy());
  const request = new association.Association(context.callingAE, remote.aeTitle);
  const getContext = request.addPresentationContext(sopClass.studyRootGet);
  request.addTransferSyntaxToPresentationContext(getContext, '1.2.840.10008.1.2.1');
  request.addTransferSyntaxToPresentationContext(getContext, '1.2.840.10008.1.2');
  for (const storageClass of sopClasses) {
    const id = request.addPresentationContext(storageClass);
    for (const syntax of getStorageSyntaxes) request.addTransferSyntaxToPresentationContext(id, syntax);
    request.getPresentationContext(id).setUserRole(false);
    request.getPresentationContext(id).setProviderRole(true);
  }
  const failed = (why: string) => new PacsError('ASSOCIATION_FAILED', why, { source: remote.aeTitle });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once(remote.tls && context.tls ? 'secureConnect' : 'connect', () =>
        receiver.sendAssociationRequest(request),
      );
      receiver.once('associationAccepted', () => resolve());
      receiver.once('associationRejected', () => reject(failed('association rejected')));
      socket.once('close', () => reject(failed('connection closed')));
      options.signal.addEventListener('abort', () => reject(failed('cancelled')), { once: true });
    });
    const get = options.seriesInstanceUID
      ? requests.CGetRequest.createSeriesGetRequest(options.studyInstanceUID, options.seriesInstanceUID)
      : requests.CGetRequest.createStudyGetRequest(options.studyInstanceUID);
    const progress = await new Promise<SubOperationProgress>((resolve, reject) => {
      socket.once('close', () => reject(failed('connection closed during C-GET')));
      get.on('response', (response: DimseResponse) => {
        const counts = response as unknown as {
          getRemaining(): number;
          getCompleted(): number;
          getFailures(): number;
          getWarnings(): number;
        };
        const current = {
          remaining: Number(counts.getRemaining() ?? 0),
          completed: Number(counts.getCompleted() ?? 0),
          failed: Number(counts.getFailures() ?? 0),
          warning: Number(counts.getWarnings() ?? 0),
        };
        options.onProgress?.(current);
        if (response.getStatus() === Status.Pending) return;
        if (response.getStatus() === Status.Success) resolve({ ...current, remaining: 0 });
        else {
          reject(
            new PacsError('SUBOPERATIONS_FAILED', `C-GET status 0x${response.getStatus().toString(16)}`, {
              source: remote.aeTitle,
              details: { ...current },
            }),
          );
        }
      });
      receiver.sendRequests(get);
    });
    receiver.sendAssociationReleaseRequest();
    await Promise.race([
      once(receiver, 'associationReleaseResponse'),
      new Promise((r) => setTimeout(r, 5000).unref()),
    ]);
    return progress;
  } finally {
    socket.destroy();
  }
}
