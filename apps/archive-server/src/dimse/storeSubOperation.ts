import { once } from 'node:events';
import { connect as connectTcp } from 'node:net';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import { connect as connectTls } from 'node:tls';
import { PacsError } from '@pacskit/dicom';
import { canTranscode, transcodePart10 } from '../part10/transcodePart10.js';
import {
  explicitVRLittleEndian,
  implicitVRLittleEndian,
  transferSyntaxEncoding,
} from '../part10/transferSyntax.js';
import { sharedCodecWorkerPool } from '../render/sharedCodecWorkerPool.js';
import type { RemoteApplicationEntity } from './aeTable.js';
import { encodeCStoreRequest } from './commandSet.js';
import {
  type Association,
  type PendingRequest,
  type Scp as ScpInstance,
  Scp,
  association,
  constants,
  internals,
} from './dcmjsDimse.js';
import type { DimseServices, StoredInstanceRef } from './dimseServices.js';
import { sendCommandWithDataset } from './pDataWriter.js';
import { splitPart10, writeFileMetaInformation } from './part10.js';

const { PresentationContextResult } = constants;
/** PS3.8 9.3.2.2: at most 128 presentation contexts (odd IDs 1–255) per association. */
const maxPresentationContexts = 128;
const releaseTimeoutMs = 10_000;

const nextMessageIDs = new WeakMap<object, number>();
function nextMessageID(network: object): number {
  const next = ((nextMessageIDs.get(network) ?? 0x7000) % 0xffff) + 1;
  nextMessageIDs.set(network, next);
  return next;
}

/**
 * One C-STORE sub-operation of a C-MOVE/C-GET (PS3.4 C.4.2.3, C.4.3.3): the stored Part 10 bytes
 * are streamed after their file meta information, unchanged, unless the peer accepted the context
 * only in another syntax: then transcodePart10 re-encodes (and decompresses) them. Resolves with the peer's status, or
 * a failure status for what failed on our side (no context, unreadable blob, closed association).
 */
export async function sendStoreSubOperation(options: {
  network: ScpInstance;
  presentationContextID: number | undefined;
  instance: StoredInstanceRef;
  services: DimseServices;
  signal: AbortSignal;
  moveOriginator?: { aeTitle: string; messageID: number };
}): Promise<number> {
  const { network, presentationContextID, instance } = options;
  // 0x0122 SOP class not supported: the peer accepted no context for this class + syntax.
  if (presentationContextID === undefined) return 0x0122;
  const state = internals(network);
  const messageID = nextMessageID(network);
  let pending: PendingRequest | undefined;
  const response = new Promise<number>((resolve) => {
    const onClose = () => resolve(0xa702);
    state.socket.once('close', onClose);
    pending = {
      getMessageId: () => messageID,
      raiseResponseEvent: (answer) => {
        state.socket.off('close', onClose);
        resolve(answer.getStatus());
      },
      raiseDoneEvent: () => undefined,
    };
    state.pending.push(pending);
  });
  try {
    const blob = await options.services.openInstance({ instance, signal: options.signal });
    const acceptedSyntax = state.association
      ?.getPresentationContext(presentationContextID)
      ?.getAcceptedTransferSyntaxUid();
    let { meta, dataset } = await splitPart10(blob);
    if (acceptedSyntax && acceptedSyntax !== meta.transferSyntaxUID) {
      if (!canTranscode(meta.transferSyntaxUID, acceptedSyntax)) {
        dataset.destroy();
        throw new PacsError('NOT_ACCEPTABLE', 'the peer accepted another transfer syntax');
      }
      const chunks: Buffer[] = [];
      for await (const chunk of dataset) chunks.push(chunk as Buffer);
      const part10 = await transcodePart10(
        Buffer.concat([writeFileMetaInformation({ ...meta }), ...chunks]),
        {
          to: acceptedSyntax,
          codecs: sharedCodecWorkerPool(),
        },
      );
      ({ meta, dataset } = await splitPart10(Readable.from(part10)));
    }
    await sendCommandWithDataset({
      socket: state.socket,
      presentationContextID,
      maxPduLength: state.association?.getMaxPduLength() ?? 0,
      command: encodeCStoreRequest({
        messageID,
        sopClassUID: instance.sopClassUID,
        sopInstanceUID: instance.sopInstanceUID,
        ...(options.moveOriginator
          ? {
              moveOriginatorAETitle: options.moveOriginator.aeTitle,
              moveOriginatorMessageID: options.moveOriginator.messageID,
            }
          : {}),
      }),
      dataset,
    });
    return await response;
  } catch {
    return 0xa702;
  } finally {
    state.pending = state.pending.filter((entry) => entry !== pending);
  }
}

/**
 * The accepted context for an instance: its SOP class in its stored syntax, else in a syntax
 * sendStoreSubOperation can re-encode or decompress to (Explicit or Implicit VR Little Endian).
 */
export function pickPresentationContext(
  accepted: Association | undefined,
  instance: StoredInstanceRef,
  options: { requireScpRole?: boolean } = {},
): number | undefined {
  const contexts = (accepted?.getPresentationContexts() ?? []).filter(
    ({ context }) =>
      context.getResult() === PresentationContextResult.Accept &&
      context.getAbstractSyntaxUid() === instance.sopClassUID &&
      // C-GET: only where the requestor took the SCP role (SCP/SCU Role Selection, PS3.7 D.3.3.4).
      (!options.requireScpRole || context.getProviderRole() === true),
  );
  const exact = contexts.find(
    ({ context }) => context.getAcceptedTransferSyntaxUid() === instance.transferSyntaxUID,
  );
  if (exact) return exact.id;
  return contexts.find(({ context }) =>
    canTranscode(instance.transferSyntaxUID, context.getAcceptedTransferSyntaxUid() ?? ''),
  )?.id;
}

export interface StoreAssociation {
  network: ScpInstance;
  pickContext(instance: StoredInstanceRef): number | undefined;
  close(): Promise<void>;
}

/**
 * Opens an association to a C-MOVE destination proposing one presentation context per stored
 * (SOP class, transfer syntax) pair. dcmjs-dimse's `Client` would re-encode every data set, so
 * its `Scp` (a `Network`) is driven as the requestor on our own socket, with Nagle off.
 */
export async function openStoreAssociation(options: {
  callingAE: string;
  destination: RemoteApplicationEntity;
  instances: readonly StoredInstanceRef[];
  tls?: { key: Buffer; cert: Buffer; ca?: Buffer } | undefined;
  signal: AbortSignal;
}): Promise<StoreAssociation> {
  const { destination } = options;
  const socket: Socket =
    destination.tls && options.tls
      ? connectTls({
          host: destination.host,
          port: destination.port,
          key: options.tls.key,
          cert: options.tls.cert,
          ...(options.tls.ca ? { ca: options.tls.ca } : {}),
          rejectUnauthorized: options.tls.ca !== undefined,
        })
      : connectTcp({ host: destination.host, port: destination.port });
  socket.setNoDelay(true);
  const network = new Scp(socket, {});
  network.on('networkError', () => socket.destroy());
  const request = new association.Association(options.callingAE, destination.aeTitle);
  const pairs = new Set<string>();
  for (const instance of options.instances) {
    const key = `${instance.sopClassUID}|${instance.transferSyntaxUID}`;
    if (pairs.has(key) || pairs.size >= maxPresentationContexts) continue;
    pairs.add(key);
    const id = request.addPresentationContext(instance.sopClassUID);
    request.addTransferSyntaxToPresentationContext(id, instance.transferSyntaxUID);
    // A compressed instance is offered uncompressed too, in a context of its own: a destination
    // without the codec (storescp by default) accepts that one and gets the instance decompressed,
    // while one that accepts the stored syntax still gets the stored bytes (pickPresentationContext
    // prefers the exact syntax). In the same context the acceptor would pick one of the three, and
    // DCMTK-based peers prefer uncompressed.
    const fallbackKey = `${instance.sopClassUID}|uncompressed`;
    if (
      canTranscode(instance.transferSyntaxUID, explicitVRLittleEndian) &&
      transferSyntaxEncoding(instance.transferSyntaxUID)?.encapsulated &&
      !pairs.has(fallbackKey) &&
      pairs.size < maxPresentationContexts
    ) {
      pairs.add(fallbackKey);
      const fallback = request.addPresentationContext(instance.sopClassUID);
      request.addTransferSyntaxToPresentationContext(fallback, explicitVRLittleEndian);
      request.addTransferSyntaxToPresentationContext(fallback, implicitVRLittleEndian);
    }
  }
  const failed = (why: string) => new PacsError('ASSOCIATION_FAILED', why, { source: destination.aeTitle });
  await new Promise<void>((resolve, reject) => {
    socket.once(destination.tls && options.tls ? 'secureConnect' : 'connect', () => {
      internals(network).connected = true;
      network.sendAssociationRequest(request);
    });
    network.once('associationAccepted', () => resolve());
    network.once('associationRejected', () => reject(failed('association rejected')));
    socket.once('error', () => reject(failed('cannot connect')));
    socket.once('close', () => reject(failed('connection closed')));
    options.signal.addEventListener('abort', () => {
      socket.destroy();
      reject(failed('cancelled'));
    });
  }).catch((error: unknown) => {
    socket.destroy();
    throw error;
  });
  const accepted = internals(network).association ?? request;
  return {
    network,
    pickContext: (instance) => pickPresentationContext(accepted, instance),
    close: async () => {
      if (socket.destroyed) return;
      network.sendAssociationReleaseRequest();
      await Promise.race([
        once(network, 'associationReleaseResponse'),
        once(socket, 'close'),
        new Promise((resolve) => setTimeout(resolve, releaseTimeoutMs).unref()),
      ]);
      socket.destroy();
    },
  };
}
