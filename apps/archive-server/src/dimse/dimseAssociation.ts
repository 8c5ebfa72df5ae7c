import type { Socket } from 'node:net';
import { PacsError, isPacsError } from '@pacskit/dicom';
import type { DicomJsonDataset } from '@pacskit/dicom';
import type { DimseOperation } from '../audit/dimseAuditEvent.js';
import type { AeTable, RemoteApplicationEntity } from './aeTable.js';
import { CStoreReceiver, errorComment, statusForError } from './cStoreReceiver.js';
import {
  type Association,
  type CGetRequest,
  type CMoveRequest,
  type DimseRequest,
  type PresentationContext,
  Scp,
  constants,
  internals,
  type requests,
  responses,
} from './dcmjsDimse.js';
import { decodeIdentifier } from './decodeIdentifier.js';
import { naturalizedToDicomJson } from './dicomJsonBridge.js';
import type { DimseQueryLevel, DimseServices, DimseSource, StoredInstanceRef } from './dimseServices.js';
import type { DimseLogger } from './dimseLogger.js';
import { projectIdentifier } from './projectIdentifier.js';
import {
  type DecodedCommandSet,
  commandText,
  commandUS,
  decodeCommandSet,
  encodeCommandSet,
  encodeCEchoResponse,
  encodeCStoreResponse,
} from './commandSet.js';
import { encodeDataset } from './encodeDataset.js';
import { pDataTfPdu, pDataTfPdus, sendCommand } from './pDataWriter.js';
import { type Pdv, pduType, pdvsOf, readPdus } from './pduReader.js';
import { openStoreAssociation, pickPresentationContext, sendStoreSubOperation } from './storeSubOperation.js';
import {
  type DimseService,
  serviceForAbstractSyntax,
  sopClass,
  storageCommitmentPushModelInstance,
  transferSyntax,
} from './sopClasses.js';
import { sendStorageCommitmentReport } from './storageCommitment.js';

const { Status, PresentationContextResult, RejectResult, RejectSource, RejectReason } = constants;

export interface DimsePolicy {
  /** Associations from calling AEs missing from the AE table: accepted or rejected (PS3.8 7.1.1.9). */
  unknownCallingAE: 'accept' | 'reject';
  /** Reject associations whose Called AE Title is not ours (default on). */
  checkCalledAE: boolean;
  /** Storage commitment reports: on the requesting association while it is open, or always a new one. */
  storageCommitmentReport?: 'same-association' | 'new-association';
}

export interface DimseLimits {
  maxAssociations: number;
  /** Largest P-DATA-TF PDU we accept (and announce in A-ASSOCIATE-AC). */
  maxPduLength: number;
  /** Abort an association with no PDU for this long (also the A-ASSOCIATE-RQ wait). */
  idleTimeoutMs: number;
}

export interface DimseAssociationContext {
  aeTitle: string;
  services: DimseServices;
  aeTable: AeTable;
  policy: DimsePolicy;
  limits: DimseLimits;
  logger: DimseLogger;
  storageTransferSyntaxes: ReadonlySet<string>;
  /** The association counter of the server: false when the limit is reached. */
  acquireSlot(): boolean;
  releaseSlot(): void;
  tls?: { key: Buffer; cert: Buffer; ca?: Buffer } | undefined;
  /** Told of every finished operation and refused association (the audit trail listens). */
  onOperation?: ((event: DimseOperationEvent) => void) | undefined;
}

/** Longest an operation's report waits for the association to end (the audit time skew). */
const reportDelayMs = 100;

/** One finished DIMSE operation or a refused association, with the status we answered. */
export interface DimseOperationEvent {
  operation: DimseOperation;
  /** The DIMSE status sent (PS3.7 C); for a refused association 0x0124 (not authorised) or 0xA700. */
  status: number;
  callingAE: string;
  remoteAddress: string;
  studyInstanceUID?: string;
  sopInstanceUID?: string;
}

/** What a C-STORE-RSP echoes from its request (PS3.7 9.3.1.2), and where it goes. */
interface StoreCommand {
  presentationContextID: number;
  messageID: number;
  sopClassUID: string;
  sopInstanceUID: string;
}

/** A C-STORE whose data set is arriving: its PDVs go to `receiver`. */
interface IncomingStore extends StoreCommand {
  receiver: CStoreReceiver;
}

/** A C-FIND-RQ (PS3.7 9.1.2.1) as its responses need it. */
interface FindCommand {
  presentationContextID: number;
  transferSyntaxUID: string;
  messageID: number;
  sopClassUID: string;
}

/** Where the data PDVs of the message being received go. */
type DataRoute =
  | { kind: 'store'; store: IncomingStore }
  | { kind: 'find'; request: FindCommand; identifier: Buffer[] }
  | { kind: 'dcmjs' };

/** C-FIND pending responses written one per socket write, then how many per write after those. */
const singlyWrittenResponses = 8;
const coalescedResponses = 16;

const cStoreRequestCommand = 0x0001;
const cFindRequestCommand = 0x0020;
const cEchoRequestCommand = 0x0030;
/** Command Data Set Type (0000,0800) meaning "no data set" (PS3.7 E.1-1). */
const noDataSet = 0x0101;

function queryLevelOf(value: unknown): DimseQueryLevel | undefined {
  const level = typeof value === 'string' ? value.trim().toUpperCase() : '';
  return level === 'PATIENT' || level === 'STUDY' || level === 'SERIES' || level === 'IMAGE'
    ? level
    : undefined;
}

/**
 * One association: dcmjs-dimse's `Scp` driven by our own socket (see createDimseServer.ts),
 * with every data set handled as raw bytes.
 *
 * We read the PDUs ourselves (pduReader.ts) and handle C-STORE-RQ without dcmjs-dimse: it parses
 * each command through dcmjs's naturalized data sets, pushes every data PDV through a chain of
 * streams and emitters, and encodes each C-STORE-RSP through dcmjs again — together about as
 * costly as storing a small instance, on every instance of a modality's association. Every other
 * PDU (negotiation, release, abort, the other DIMSE messages) is handed to dcmjs-dimse as before.
 */
export class DimseAssociation extends Scp {
  readonly #context: DimseAssociationContext;
  readonly #socket: Socket;
  #callingAE = '';
  #slotHeld = false;
  /** Set once A-ASSOCIATE-AC is sent: only then are P-DATA-TF PDUs ours to read. */
  #accepted = false;
  /** Transfer syntax of each accepted presentation context, by ID (filled on first use). */
  #acceptedContexts: Map<number, string> | undefined;
  /** Command PDVs of a message whose last command fragment has not arrived. */
  #commandFragments: Pdv[] = [];
  #dataRoute: DataRoute | undefined;
  #store: IncomingStore | undefined;
  /** dcmjs-dimse's own socket reader: it gets every PDU the fast path does not take. */
  readonly #toDcmjs: (pdu: Buffer) => void;
  /** Operations that C-CANCEL can stop, by Message ID (PS3.7 9.3.2.3). */
  readonly #cancellable = new Map<number, AbortController>();
  readonly #closed = new AbortController();
  /** Finished operations not yet handed to `onOperation` (see #report). */
  #unreported: DimseOperationEvent[] = [];
  #reportTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(socket: Socket, context: DimseAssociationContext) {
    super(socket, {
      associationTimeout: context.limits.idleTimeoutMs,
      pduTimeout: context.limits.idleTimeoutMs,
      connectTimeout: context.limits.idleTimeoutMs,
    });
    this.#context = context;
    this.#socket = socket;
    const network = internals(this);
    network.connected = true;
    // dcmjs-dimse's PDU timer aborts an association 60 s after the last PDU *it* read, which on
    // a long C-STORE-only association is most of them: the server's socket timeout covers idleness.
    clearInterval(network.timeoutIntervalId);
    network.timeoutIntervalId = undefined;
    const dcmjsReaders = socket.rawListeners('data') as ((chunk: Buffer) => void)[];
    for (const reader of dcmjsReaders) socket.off('data', reader);
    this.#toDcmjs = (pdu) => {
      for (const reader of dcmjsReaders) reader.call(socket, pdu);
    };
    readPdus(socket, {
      maxPduLength: context.limits.maxPduLength,
      onPdu: (pdu) => this.#onPdu(pdu),
      onViolation: (kind) =>
        context.logger.warn({ remoteAddress: socket.remoteAddress, kind }, 'A-ABORT: bad PDU'),
    });
    // As the requestor (a C-GET SCU, getFromRemote) the association is ours once the A-ASSOCIATE-AC
    // arrives: the C-STOREs the peer sends on it take the same raw-bytes path.
    this.on('associationAccepted', () => {
      this.#accepted = true;
    });
    this.on('close', () => this.#onClose());
  }

  /**
   * Reports a finished operation; a failing listener never breaks the association.
   * The report is held back (see flushReports) because the audit listener's commit — an fsync on
   * the embedded index — blocks the event loop: run right after a response it delayed the peer's
   * next PDU, typically A-RELEASE-RQ, by a millisecond or more on every association.
   */
  #report(
    operation: DimseOperationEvent['operation'],
    status: number,
    detail: { studyInstanceUID?: string | undefined; sopInstanceUID?: string | undefined } = {},
  ): void {
    if (!this.#context.onOperation) return;
    this.#unreported.push({
      operation,
      status,
      callingAE: this.#callingAE,
      remoteAddress: this.#socket.remoteAddress ?? '',
      ...(detail.studyInstanceUID ? { studyInstanceUID: detail.studyInstanceUID } : {}),
      ...(detail.sopInstanceUID ? { sopInstanceUID: detail.sopInstanceUID } : {}),
    });
    this.#reportTimer ??= setTimeout(() => this.flushReports(), reportDelayMs);
  }

  /**
   * Hands the held-back reports to the listener: once A-RELEASE-RP is sent or the association
   * closes (the peer no longer waits for us), at the latest `reportDelayMs` after the first one on
   * a long association, and when the server shuts down, so none is lost on a clean shutdown.
   */
  flushReports(): void {
    clearTimeout(this.#reportTimer);
    this.#reportTimer = undefined;
    const events = this.#unreported;
    this.#unreported = [];
    for (const event of events) {
      try {
        this.#context.onOperation?.(event);
      } catch {
        // Auditing is the listener's job; the protocol goes on.
      }
    }
  }

  /** Wraps a response callback so the status it carries is reported first. */
  #reporting<T extends { getStatus(): number }>(
    operation: DimseOperationEvent['operation'],
    callback: (response: T) => void,
  ): (response: T) => void {
    return (response) => {
      this.#report(operation, response.getStatus());
      callback(response);
    };
  }

  get source(): DimseSource {
    return { protocol: 'DIMSE', callingAE: this.#callingAE, remoteAddress: this.#socket.remoteAddress ?? '' };
  }

  #onClose(): void {
    this.flushReports();
    this.#closed.abort(new PacsError('ABORTED', 'association closed'));
    for (const controller of this.#cancellable.values()) controller.abort();
    const store = this.#store;
    if (store) {
      // Aborted mid-transfer: the pipeline sees an errored stream and stores nothing.
      store.receiver.abort(new PacsError('ABORTED', 'association closed during C-STORE'));
      this.#store = undefined;
    }
    if (this.#slotHeld) {
      this.#slotHeld = false;
      this.#context.releaseSlot();
    }
  }

  override associationRequested(association: Association): void {
    void this.#negotiate(association).catch((error: unknown) => {
      this.#context.logger.error({ err: error }, 'association negotiation failed');
      this.sendAssociationReject(
        RejectResult.Transient,
        RejectSource.ServiceUser,
        RejectReason.NoReasonGiven,
      );
    });
  }

  async #negotiate(association: Association): Promise<void> {
    const { aeTitle, policy, aeTable, logger } = this.#context;
    this.#callingAE = association.getCallingAeTitle().trim();
    const calledAE = association.getCalledAeTitle().trim();
    const reject = (result: number, source: number, reason: number, why: string) => {
      logger.warn({ callingAE: this.#callingAE, calledAE, why }, 'association rejected');
      this.#report('A-ASSOCIATE', why === 'max associations' ? 0xa700 : 0x0124);
      this.sendAssociationReject(result, source, reason);
      this.#socket.end();
    };
    if (policy.checkCalledAE && calledAE !== aeTitle) {
      return reject(
        RejectResult.Permanent,
        RejectSource.ServiceUser,
        RejectReason.CalledAeNotRecognized,
        'called AE',
      );
    }
    const known = await aeTable.lookup(this.#callingAE);
    if (!known && policy.unknownCallingAE === 'reject') {
      return reject(
        RejectResult.Permanent,
        RejectSource.ServiceUser,
        RejectReason.CallingAeNotRecognized,
        'calling AE',
      );
    }
    if (!this.#context.acquireSlot()) {
      // PS3.8 9.3.4: source 3 (presentation), reason 2 = local limit exceeded.
      return reject(
        RejectResult.Transient,
        RejectSource.ServiceProviderPresentation,
        RejectReason.LocalLimitExceeded,
        'max associations',
      );
    }
    this.#slotHeld = true;
    const acceptedSyntaxes = new Map<string, Set<string>>();
    for (const { context } of association.getPresentationContexts()) {
      this.#negotiatePresentationContext(context, known, acceptedSyntaxes);
    }
    this.sendAssociationAccept();
    this.#accepted = true;
    logger.info({ callingAE: this.#callingAE }, 'association accepted');
  }

  #negotiatePresentationContext(
    context: PresentationContext,
    known: RemoteApplicationEntity | undefined,
    acceptedSyntaxes: Map<string, Set<string>>,
  ): void {
    const service = serviceForAbstractSyntax(context.getAbstractSyntaxUid());
    const allowed = (candidate: DimseService) =>
      known?.allowedServices === undefined || known.allowedServices.includes(candidate);
    if (!service || !this.#offers(service)) {
      context.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
      return;
    }
    if (!allowed(service) && !(service === 'store' && (allowed('get') || allowed('store')))) {
      context.setResult(PresentationContextResult.RejectUser);
      return;
    }
    const candidates = context.getTransferSyntaxUids();
    // Storage: when an SCU proposes the same SOP class in several contexts, accept a different
    // transfer syntax in each, so it can send every file in its own syntax, unconverted.
    const already = acceptedSyntaxes.get(context.getAbstractSyntaxUid()) ?? new Set<string>();
    const storable = candidates.filter((uid) => this.#context.storageTransferSyntaxes.has(uid));
    // A C-GET SCU taking the SCP role (PS3.7 D.3.3.4) receives: its own order is its preference.
    const retrieving = context.getProviderRole() === true;
    const acceptable =
      service === 'store'
        ? retrieving
          ? candidates.find((uid) => this.#context.storageTransferSyntaxes.has(uid))
          : (storable.find((uid) => !already.has(uid)) ?? storable[0])
        : candidates.find(
            (uid) =>
              uid === transferSyntax.explicitVRLittleEndian || uid === transferSyntax.implicitVRLittleEndian,
          );
    if (!acceptable) {
      context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
      return;
    }
    context.setResult(PresentationContextResult.Accept, acceptable);
    acceptedSyntaxes.set(context.getAbstractSyntaxUid(), already.add(acceptable));
  }

  #offers(service: DimseService): boolean {
    const { services } = this.#context;
    switch (service) {
      case 'worklist':
        return services.searchWorklist !== undefined;
      case 'mpps':
        return services.createPerformedProcedureStep !== undefined;
      case 'echo':
      case 'store':
      case 'find':
      case 'move':
      case 'get':
      case 'commitment':
        return true;
      default:
        return service satisfies never;
    }
  }

  override associationReleaseRequested(): void {
    this.sendAssociationReleaseResponse();
    this.flushReports();
  }

  override abort(): void {
    this.#socket.destroy();
  }

  override cEchoRequest(
    request: InstanceType<typeof requests.CEchoRequest>,
    callback: (response: InstanceType<typeof responses.CEchoResponse>) => void,
  ): void {
    const response = responses.CEchoResponse.fromRequest(request);
    response.setStatus(Status.Success);
    this.#report('C-ECHO', Status.Success);
    callback(response);
  }

  // ── C-STORE (PS3.4 B.2), read straight from the socket ───────────────────────────────────
  // dcmjs-dimse's store path buffers the whole data set and re-parses it through dcmjs, dropping
  // private tags: the received bytes go, unparsed, into the ingest pipeline (CStoreReceiver).

  #onPdu(pdu: Buffer): void {
    if (pdu[0] !== pduType.dataTransfer || !this.#accepted) {
      this.#toDcmjs(pdu);
      return;
    }
    const pdvs = pdvsOf(pdu);
    if (!pdvs) {
      this.#abort('malformed P-DATA-TF PDU');
      return;
    }
    for (const pdv of pdvs) this.#onPdv(pdv);
  }

  #onPdv(pdv: Pdv): void {
    if (!pdv.command) {
      this.#onDataPdv(pdv);
      return;
    }
    if (this.#dataRoute?.kind === 'store') {
      this.#abort('command PDV inside a C-STORE data set');
      return;
    }
    this.#commandFragments.push(pdv);
    if (!pdv.last) return;
    const fragments = this.#commandFragments;
    this.#commandFragments = [];
    const command = decodeCommandSet(
      fragments.length === 1 ? pdv.value : Buffer.concat(fragments.map((fragment) => fragment.value)),
    );
    const commandField = command ? commandUS(command, 0x0100) : undefined;
    if (command && commandField === cStoreRequestCommand) {
      this.#beginStore(command, pdv.presentationContextID);
      return;
    }
    if (command && commandField === cFindRequestCommand && commandUS(command, 0x0800) !== noDataSet) {
      this.#beginFind(command, pdv.presentationContextID);
      return;
    }
    if (
      command &&
      commandField === cEchoRequestCommand &&
      commandUS(command, 0x0800) === noDataSet &&
      this.#acceptedTransferSyntax(pdv.presentationContextID)
    ) {
      this.#echo(command, pdv.presentationContextID);
      return;
    }
    for (const fragment of fragments) this.#forwardPdv(fragment);
    if (command && commandUS(command, 0x0800) !== noDataSet) this.#dataRoute = { kind: 'dcmjs' };
  }

  #onDataPdv(pdv: Pdv): void {
    const route = this.#dataRoute;
    if (route?.kind === 'find') {
      route.identifier.push(pdv.value);
      if (!pdv.last) return;
      this.#dataRoute = undefined;
      void this.#find(route.request, Buffer.concat(route.identifier));
      return;
    }
    if (route?.kind !== 'store') {
      this.#forwardPdv(pdv);
      if (pdv.last) this.#dataRoute = undefined;
      return;
    }
    route.store.receiver.write(pdv.value);
    if (!pdv.last) return;
    this.#dataRoute = undefined;
    this.#store = undefined;
    route.store.receiver.end();
    void this.#respondToStore(route.store);
  }

  /** A PDV for dcmjs-dimse, in a P-DATA-TF PDU of its own. */
  #forwardPdv(pdv: Pdv): void {
    this.#toDcmjs(pDataTfPdu(pdv.presentationContextID, pdv.command, pdv.last, pdv.value));
  }

  #acceptedTransferSyntax(presentationContextID: number): string | undefined {
    if (!this.#acceptedContexts) {
      this.#acceptedContexts = new Map();
      for (const { id, context } of internals(this).association?.getPresentationContexts() ?? []) {
        if (context.getResult() === PresentationContextResult.Accept) {
          this.#acceptedContexts.set(
            id,
            context.getAcceptedTransferSyntaxUid() ?? transferSyntax.implicitVRLittleEndian,
          );
        }
      }
    }
    return this.#acceptedContexts.get(presentationContextID);
  }

  #beginStore(command: DecodedCommandSet, presentationContextID: number): void {
    const transferSyntaxUID = this.#acceptedTransferSyntax(presentationContextID);
    // PS3.8 9.3.5.1: PDVs may only use accepted presentation contexts.
    if (!transferSyntaxUID) {
      this.#abort('C-STORE on a presentation context not accepted');
      return;
    }
    const request: StoreCommand = {
      presentationContextID,
      messageID: commandUS(command, 0x0110) ?? 0,
      sopClassUID: commandText(command, 0x0002) ?? '',
      sopInstanceUID: commandText(command, 0x1000) ?? '',
    };
    if (commandUS(command, 0x0800) === noDataSet) {
      void this.#sendStoreResponse(request, {
        status: Status.ProcessingFailure,
        comment: 'no data set received',
      });
      return;
    }
    const receiver = new CStoreReceiver({
      sopClassUID: request.sopClassUID,
      sopInstanceUID: request.sopInstanceUID,
      transferSyntaxUID,
      callingAE: this.#callingAE,
      socket: this.#socket,
      services: this.#context.services,
      source: this.source,
    });
    const store: IncomingStore = { ...request, receiver };
    this.#store = store;
    this.#dataRoute = { kind: 'store', store };
  }

  /**
   * C-ECHO answered here: dcmjs-dimse parsing the request and encoding the response through
   * dcmjs's naturalized data sets took about a millisecond, a third of a whole echoscu
   * association's time in the server.
   */
  #echo(command: DecodedCommandSet, presentationContextID: number): void {
    this.#report('C-ECHO', Status.Success);
    void sendCommand({
      socket: this.#socket,
      presentationContextID,
      command: encodeCEchoResponse({
        messageID: commandUS(command, 0x0110) ?? 0,
        sopClassUID: commandText(command, 0x0002) ?? '',
        status: Status.Success,
      }),
    }).catch(() => undefined); // closed meanwhile: nobody is waiting for the response
  }

  #beginFind(command: DecodedCommandSet, presentationContextID: number): void {
    const transferSyntaxUID = this.#acceptedTransferSyntax(presentationContextID);
    if (!transferSyntaxUID) {
      this.#abort('C-FIND on a presentation context not accepted');
      return;
    }
    const request: FindCommand = {
      presentationContextID,
      transferSyntaxUID,
      messageID: commandUS(command, 0x0110) ?? 0,
      sopClassUID: commandText(command, 0x0002) ?? '',
    };
    this.#dataRoute = { kind: 'find', request, identifier: [] };
  }

  async #respondToStore(store: IncomingStore): Promise<void> {
    await this.#sendStoreResponse(store, await store.receiver.result);
  }

  async #sendStoreResponse(
    store: StoreCommand,
    result: { status: number; comment?: string | undefined },
  ): Promise<void> {
    this.#report('C-STORE', result.status, { sopInstanceUID: store.sopInstanceUID });
    const command = encodeCStoreResponse({
      messageID: store.messageID,
      sopClassUID: store.sopClassUID,
      sopInstanceUID: store.sopInstanceUID,
      status: result.status,
      errorComment: result.status === Status.Success ? undefined : result.comment,
    });
    await sendCommand({
      socket: this.#socket,
      presentationContextID: store.presentationContextID,
      command,
    }).catch(() => undefined); // closed meanwhile: nobody is waiting for the response
  }

  /** A-ABORT, source 2 (service provider), reason 0 (PS3.8 9.3.8), then close. */
  #abort(why: string): void {
    this.#context.logger.warn({ remoteAddress: this.#socket.remoteAddress, why }, 'A-ABORT: protocol error');
    if (this.#socket.destroyed) return;
    this.#socket.end(Buffer.from([0x07, 0, 0, 0, 0, 4, 0, 0, 2, 0]));
    setTimeout(() => this.#socket.destroy(), 1000).unref();
  }

  // ── C-FIND (PS3.4 C.4.1, K.4.1) ────────────────────────────────────────────────────────────

  async #find(request: FindCommand, identifierBytes: Buffer): Promise<void> {
    const { messageID, presentationContextID, transferSyntaxUID } = request;
    const controller = new AbortController();
    this.#cancellable.set(messageID, controller);
    let studyInstanceUID: string | undefined;
    /** Responses encoded but not yet written (see `coalesced` below). */
    let unwritten: Buffer[] = [];
    const flush = () => {
      if (unwritten.length === 0 || this.#socket.destroyed) return;
      this.#socket.write(unwritten.length === 1 ? unwritten[0]! : Buffer.concat(unwritten));
      unwritten = [];
    };
    /** Pending and final responses encoded directly (encodeDataset), written with backpressure. */
    const send = (status: number, identifier?: DicomJsonDataset, comment?: string) => {
      const command = encodeCommandSet([
        { element: 0x0002, value: { type: 'UI', value: request.sopClassUID } },
        { element: 0x0100, value: { type: 'US', value: 0x8020 } },
        { element: 0x0120, value: { type: 'US', value: messageID } },
        { element: 0x0800, value: { type: 'US', value: identifier ? 0x0000 : noDataSet } },
        { element: 0x0900, value: { type: 'US', value: status } },
        ...(comment
          ? [{ element: 0x0902, value: { type: 'LO', value: errorComment(comment) } } as const]
          : []),
      ]);
      unwritten.push(
        pDataTfPdus({
          presentationContextID,
          maxPduLength: internals(this).association?.getMaxPduLength() ?? 0,
          command,
          ...(identifier ? { dataset: encodeDataset(identifier, transferSyntaxUID) } : {}),
        }),
      );
      if (status !== Status.Pending) flush();
    };
    try {
      const identifier = decodeIdentifier(identifierBytes, transferSyntaxUID);
      const worklist = request.sopClassUID === sopClass.modalityWorklistFind;
      const level = queryLevelOf(identifier['00080052']?.Value?.[0]);
      const queried = identifier['0020000D']?.Value?.[0];
      studyInstanceUID = typeof queried === 'string' && queried !== '' ? queried : undefined;
      if (!worklist && !level) {
        this.#report('C-FIND', 0xa900);
        return send(0xa900, undefined, 'missing or invalid Query/Retrieve Level');
      }
      const keys = { ...identifier };
      delete keys['00080052'];
      delete keys['00080005'];
      const signal = AbortSignal.any([controller.signal, this.#closed.signal]);
      const results = worklist
        ? await this.#context.services.searchWorklist!({ keys, signal })
        : await this.#context.services.search({ level: level!, keys, signal });
      // The first pending responses go one by one, each followed by a turn of the event loop, so
      // the first matches show at once and a C-CANCEL sent after them is read early (PS3.4
      // C.4.1.3.1). Past those, `coalescedResponses` share one socket write: a write
      // (and the peer's wake-up) per response cost more than the rest of a large C-FIND.
      let sent = 0;
      for await (const result of results) {
        if (controller.signal.aborted) break;
        send(Status.Pending, projectIdentifier(identifier, result));
        sent += 1;
        if (sent > singlyWrittenResponses && unwritten.length < coalescedResponses) continue;
        flush();
        await this.#drained();
      }
      // PS3.4 C.4.1.3.1: a cancelled C-FIND ends with status Cancel (0xFE00).
      const final = controller.signal.aborted ? Status.Cancel : Status.Success;
      this.#report('C-FIND', final, { studyInstanceUID });
      send(final);
    } catch (error) {
      if (controller.signal.aborted) {
        this.#report('C-FIND', Status.Cancel, { studyInstanceUID });
        return send(Status.Cancel);
      }
      const { status, comment } = statusForError(error);
      // C-FIND failures are 0xA700 / 0xA900 / 0xCxxx (PS3.4 C.4.1.1.4).
      const failure = status === 0xa900 || status === 0xa700 ? status : 0xc000;
      this.#report('C-FIND', failure, { studyInstanceUID });
      send(failure, undefined, comment);
    } finally {
      this.#cancellable.delete(messageID);
    }
  }

  /** Lets the event loop read a C-CANCEL, and waits for the socket when the peer reads slowly. */
  async #drained(): Promise<void> {
    if (this.#socket.writableNeedDrain) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.#socket.off('drain', done);
          this.#socket.off('close', done);
          resolve();
        };
        this.#socket.on('drain', done);
        this.#socket.on('close', done);
      });
    } else {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  override cCancelRequest(request: InstanceType<typeof requests.CCancelRequest>): void {
    this.#cancellable.get(request.getMessageIdBeingRespondedTo())?.abort();
  }

  // ── C-MOVE and C-GET (PS3.4 C.4.2, C.4.3) ──────────────────────────────────────────────────

  async #instancesFor(
    request: CMoveRequest | CGetRequest,
    signal: AbortSignal,
  ): Promise<readonly StoredInstanceRef[]> {
    const identifier = naturalizedToDicomJson(request.getDataset()?.getElements() ?? {});
    const level = queryLevelOf(identifier['00080052']?.Value?.[0]);
    if (!level) throw new PacsError('INVALID_QUERY', 'missing or invalid Query/Retrieve Level');
    const text = (tag: string) => {
      const value = identifier[tag]?.Value?.[0];
      return typeof value === 'string' && value !== '' ? value : undefined;
    };
    const sopInstanceUIDs = (identifier['00080018']?.Value ?? []).filter(
      (value): value is string => typeof value === 'string' && value !== '',
    );
    const studyInstanceUID = text('0020000D');
    const seriesInstanceUID = text('0020000E');
    const patientID = text('00100020');
    return this.#context.services.listInstances({
      level,
      ...(studyInstanceUID ? { studyInstanceUID } : {}),
      ...(seriesInstanceUID ? { seriesInstanceUID } : {}),
      ...(sopInstanceUIDs.length > 0 ? { sopInstanceUIDs } : {}),
      ...(patientID ? { patientID } : {}),
      signal,
    });
  }

  override cMoveRequest(request: CMoveRequest): void {
    void this.#retrieve(request, 'move');
  }

  override cGetRequest(request: CGetRequest): void {
    void this.#retrieve(request, 'get');
  }

  async #retrieve(request: CMoveRequest | CGetRequest, kind: 'move' | 'get'): Promise<void> {
    const messageID = request.getMessageId();
    const controller = new AbortController();
    this.#cancellable.set(messageID, controller);
    const signal = AbortSignal.any([controller.signal, this.#closed.signal]);
    const counts = { remaining: 0, completed: 0, failed: 0, warning: 0 };
    const send = (status: number, comment?: string) => {
      const response =
        kind === 'move'
          ? responses.CMoveResponse.fromRequest(request as CMoveRequest)
          : responses.CGetResponse.fromRequest(request as CGetRequest);
      response.setStatus(status);
      // PS3.4 C.4.2.1.4: counts on pending responses; on the final one, all but Remaining.
      if (status === Status.Pending) response.setRemaining(counts.remaining);
      response.setCompleted(counts.completed);
      response.setFailures(counts.failed);
      response.setWarnings(counts.warning);
      if (comment) response.setErrorComment(errorComment(comment));
      if (status !== Status.Pending) {
        const study = request.getDataset()?.getElement('StudyInstanceUID');
        this.#report(kind === 'move' ? 'C-MOVE' : 'C-GET', status, {
          studyInstanceUID: typeof study === 'string' ? study : undefined,
        });
      }
      this.sendResponse(request, response);
    };
    let closeDestination: (() => Promise<void>) | undefined;
    try {
      let destination: RemoteApplicationEntity | undefined;
      if (kind === 'move') {
        const destinationAE = String(request.getCommandDataset().getElement('MoveDestination') ?? '').trim();
        destination = await this.#context.aeTable.lookup(destinationAE);
        // 0xA801 Move Destination unknown (PS3.4 C.4.2.1.5).
        if (!destination) return send(0xa801, 'move destination unknown');
      }
      const instances = await this.#instancesFor(request, signal);
      counts.remaining = instances.length;
      let target: { network: Scp; pickContext(instance: StoredInstanceRef): number | undefined };
      if (destination) {
        const opened = await openStoreAssociation({
          callingAE: this.#context.aeTitle,
          destination,
          instances,
          tls: this.#context.tls,
          signal,
        });
        closeDestination = opened.close;
        target = opened;
      } else {
        const association = internals(this).association;
        target = {
          network: this,
          // C-GET: only contexts where the SCU took the SCP role (PS3.4 C.4.3.1, PS3.7 D.3.3.4).
          pickContext: (instance) => pickPresentationContext(association, instance, { requireScpRole: true }),
        };
      }
      for (const instance of instances) {
        if (signal.aborted) break;
        const status = await sendStoreSubOperation({
          network: target.network,
          presentationContextID: target.pickContext(instance),
          instance,
          services: this.#context.services,
          signal,
          ...(kind === 'move' ? { moveOriginator: { aeTitle: this.#callingAE, messageID } } : {}),
        });
        counts.remaining -= 1;
        if (status === Status.Success) counts.completed += 1;
        else if ((status & 0xf000) === 0xb000) counts.warning += 1;
        else counts.failed += 1;
        if (counts.remaining > 0 && !signal.aborted) send(Status.Pending);
      }
      await closeDestination?.();
      closeDestination = undefined;
      if (controller.signal.aborted) return send(Status.Cancel);
      if (counts.failed > 0 || counts.warning > 0) {
        // 0xB000: sub-operations complete, one or more failures or warnings (PS3.4 C.4.2.1.5);
        // 0xA702 when none succeeded.
        return send(
          counts.completed === 0 && counts.warning === 0 ? 0xa702 : 0xb000,
          'sub-operations failed',
        );
      }
      send(Status.Success);
    } catch (error) {
      await closeDestination?.().catch(() => undefined);
      if (controller.signal.aborted) return send(Status.Cancel);
      const { status, comment } = statusForError(error);
      counts.failed += counts.remaining;
      counts.remaining = 0;
      send(status === 0xa900 ? 0xa900 : isPacsError(error, 'ASSOCIATION_FAILED') ? 0xa801 : 0xc000, comment);
    } finally {
      this.#cancellable.delete(messageID);
    }
  }

  // ── MPPS (PS3.4 F.7) ───────────────────────────────────────────────────────────────────────

  override nCreateRequest(
    request: InstanceType<typeof requests.NCreateRequest>,
    reply: (response: InstanceType<typeof responses.NCreateResponse>) => void,
  ): void {
    const callback = this.#reporting('N-CREATE', reply);
    const response = responses.NCreateResponse.fromRequest(request);
    const sopInstanceUID = request.getAffectedSopInstanceUid();
    const dataset = naturalizedToDicomJson(request.getDataset()?.getElements() ?? {});
    const create = this.#context.services.createPerformedProcedureStep;
    if (!create || !sopInstanceUID) {
      response.setStatus(create ? 0x0120 : 0x0122);
      callback(response);
      return;
    }
    void create({ sopInstanceUID, dataset, source: this.source, signal: this.#closed.signal }).then(
      () => {
        response.setStatus(Status.Success);
        callback(response);
      },
      (error: unknown) => {
        // 0x0111 duplicate SOP instance, 0x0106 invalid attribute value (PS3.7 C.4).
        response.setStatus(
          isPacsError(error, 'CONFLICT')
            ? 0x0111
            : isPacsError(error, 'INVALID_ARGUMENT')
              ? 0x0106
              : statusForError(error).status,
        );
        response.setErrorComment(errorComment(isPacsError(error) ? error.message : 'processing failure'));
        callback(response);
      },
    );
  }

  override nSetRequest(
    request: InstanceType<typeof requests.NSetRequest>,
    reply: (response: InstanceType<typeof responses.NSetResponse>) => void,
  ): void {
    const callback = this.#reporting('N-SET', reply);
    const response = responses.NSetResponse.fromRequest(request);
    const sopInstanceUID = request.getRequestedSopInstanceUid();
    const dataset = naturalizedToDicomJson(request.getDataset()?.getElements() ?? {});
    const update = this.#context.services.updatePerformedProcedureStep;
    if (!update) {
      response.setStatus(0x0122);
      callback(response);
      return;
    }
    void update({ sopInstanceUID, dataset, source: this.source, signal: this.#closed.signal }).then(
      () => {
        response.setStatus(Status.Success);
        callback(response);
      },
      (error: unknown) => {
        // 0x0112 no such object instance; 0x0110 for a step already COMPLETED/DISCONTINUED (PS3.4 F.7.2.2).
        response.setStatus(
          isPacsError(error, 'NOT_FOUND')
            ? 0x0112
            : isPacsError(error, 'CONFLICT')
              ? 0x0110
              : statusForError(error).status,
        );
        response.setErrorComment(errorComment(isPacsError(error) ? error.message : 'processing failure'));
        callback(response);
      },
    );
  }

  // ── Storage Commitment Push Model (PS3.4 J.3) ──────────────────────────────────────────────

  override nActionRequest(
    request: InstanceType<typeof requests.NActionRequest>,
    reply: (response: InstanceType<typeof responses.NActionResponse>) => void,
  ): void {
    const callback = this.#reporting('N-ACTION', reply);
    const response = responses.NActionResponse.fromRequest(request);
    if (
      request.getRequestedSopClassUid() !== sopClass.storageCommitmentPushModel ||
      request.getRequestedSopInstanceUid() !== storageCommitmentPushModelInstance
    ) {
      response.setStatus(0x0112);
      callback(response);
      return;
    }
    if (Number(request.getActionTypeId()) !== 1) {
      response.setStatus(0x0123); // No such action (PS3.7 C.4.2)
      callback(response);
      return;
    }
    const dataset = naturalizedToDicomJson(request.getDataset()?.getElements() ?? {});
    const transactionUID = dataset['00081195']?.Value?.[0];
    if (typeof transactionUID !== 'string' || transactionUID === '') {
      response.setStatus(0x0120); // Missing attribute
      callback(response);
      return;
    }
    response.setStatus(Status.Success);
    callback(response);
    void sendStorageCommitmentReport({
      association: this,
      open: !this.#closed.signal.aborted,
      sameAssociation: this.#context.policy.storageCommitmentReport !== 'new-association',
      requesterAE: this.#callingAE,
      context: this.#context,
      request: dataset,
      transactionUID,
    }).catch((error: unknown) => {
      this.#context.logger.warn(
        { err: error, callingAE: this.#callingAE },
        'storage commitment report failed',
      );
    });
  }

  get isOpen(): boolean {
    return !this.#closed.signal.aborted;
  }

  /** Sends a request (N-EVENT-REPORT) on this association and resolves with its response status. */
  sendRequestAndWait(request: DimseRequest): Promise<number> {
    return new Promise((resolve, reject) => {
      const onClose = () => reject(new PacsError('ASSOCIATION_FAILED', 'association closed'));
      this.once('close', onClose);
      request.on('response', (response: InstanceType<typeof responses.Response>) => {
        if (response.getStatus() !== Status.Pending) {
          this.off('close', onClose);
          resolve(response.getStatus());
        }
      });
      this.sendRequests(request);
    });
  }
}
