/**
 * The one table of PacsKit error codes, shared by the SDK, the components and the archive server.
 *
 * Each code is documented here, mapped once to an HTTP status and a DIMSE status (PS3.4 / PS3.7
 * Annex C), and never reused for another meaning. Callers branch on `code`, never on message text.
 */
export const pacsErrorTable = {
  // ── Requests ────────────────────────────────────────────────────────────────────────────────
  /** A parameter, query key or body field is malformed or out of range. */
  INVALID_ARGUMENT: { httpStatus: 400, dimseStatus: 0xa900, summary: 'invalid argument' },
  /** A query (QIDO-RS, C-FIND, worklist) cannot be understood: unknown key, bad range, bad limit. */
  INVALID_QUERY: { httpStatus: 400, dimseStatus: 0xa900, summary: 'invalid query' },
  /** The request body is larger than the configured limit. */
  PAYLOAD_TOO_LARGE: { httpStatus: 413, dimseStatus: 0xa700, summary: 'payload too large' },
  /** The Content-Type (or multipart boundary/part type) is missing or not one we accept. */
  UNSUPPORTED_MEDIA_TYPE: { httpStatus: 415, dimseStatus: 0xc000, summary: 'unsupported media type' },
  /** None of the media types or transfer syntaxes the client accepts can be produced. */
  NOT_ACCEPTABLE: { httpStatus: 406, dimseStatus: 0xc000, summary: 'not acceptable' },
  /** The resource (study, series, instance, order, report, …) does not exist or is not visible. */
  NOT_FOUND: { httpStatus: 404, dimseStatus: 0xc000, summary: 'not found' },
  /** The request conflicts with the current state (a workflow transition that is not allowed). */
  CONFLICT: { httpStatus: 409, dimseStatus: 0x0110, summary: 'conflict' },
  /** The operation is not supported by this server, adapter or archive. */
  NOT_SUPPORTED: { httpStatus: 501, dimseStatus: 0x0211, summary: 'not supported' },

  // ── Identity and access ────────────────────────────────────────────────────────────────────
  /** No credentials, or credentials that are invalid, expired, forged or revoked. */
  UNAUTHENTICATED: { httpStatus: 401, dimseStatus: 0x0124, summary: 'unauthenticated' },
  /** Authenticated, but not allowed (missing permission, AE-title rule, patient scope, no grant). */
  FORBIDDEN: { httpStatus: 403, dimseStatus: 0x0124, summary: 'forbidden' },
  /** Too many requests (auth routes are rate limited). */
  RATE_LIMITED: { httpStatus: 429, dimseStatus: 0xa700, summary: 'rate limited' },

  // ── DICOM data ─────────────────────────────────────────────────────────────────────────────
  /** The bytes are not a readable DICOM Part 10 file or data set (garbage, truncated, lying lengths). */
  DICOM_PARSE_ERROR: { httpStatus: 400, dimseStatus: 0xc000, summary: 'cannot parse DICOM' },
  /** The transfer syntax is unknown or not supported for this operation. */
  UNSUPPORTED_TRANSFER_SYNTAX: {
    httpStatus: 415,
    dimseStatus: 0xc122,
    summary: 'unsupported transfer syntax',
  },
  /** A UID is not valid per PS3.5 9.1 (characters, length, leading zeros). */
  INVALID_UID: { httpStatus: 400, dimseStatus: 0xa900, summary: 'invalid UID' },
  /** An attribute the archive requires is missing or empty (SOP Class/Instance, Study/Series UID, …). */
  MISSING_ATTRIBUTE: { httpStatus: 400, dimseStatus: 0xa900, summary: 'missing required attribute' },
  /** The data set does not match its SOP class, or the study UID does not match the STOW-RS target. */
  DATASET_MISMATCH: { httpStatus: 409, dimseStatus: 0xa900, summary: 'data set does not match' },
  /** An instance with this SOP Instance UID is already stored and the duplicate policy rejects it. */
  DUPLICATE_INSTANCE: { httpStatus: 409, dimseStatus: 0x0111, summary: 'duplicate SOP instance' },
  /** The SOP class is not supported for this operation. */
  SOP_CLASS_NOT_SUPPORTED: { httpStatus: 409, dimseStatus: 0x0122, summary: 'SOP class not supported' },
  /** Pixel data cannot be decoded or rendered (unsupported photometric interpretation or codec). */
  CANNOT_RENDER: { httpStatus: 406, dimseStatus: 0xc000, summary: 'cannot render' },

  // ── DIMSE networking ───────────────────────────────────────────────────────────────────────
  /** A C-MOVE destination or remote AE title is not in the AE table. */
  UNKNOWN_AE: { httpStatus: 404, dimseStatus: 0xa801, summary: 'unknown AE title' },
  /** The association was rejected or aborted by the peer. */
  ASSOCIATION_FAILED: { httpStatus: 502, dimseStatus: 0xa702, summary: 'association failed' },
  /** Some sub-operations of a C-MOVE / C-GET / storage commitment failed. */
  SUBOPERATIONS_FAILED: { httpStatus: 502, dimseStatus: 0xb000, summary: 'sub-operations failed' },

  // ── Resources and faults ───────────────────────────────────────────────────────────────────
  /** Storage is full or a resource limit (max associations, memory) is reached. */
  OUT_OF_RESOURCES: { httpStatus: 507, dimseStatus: 0xa700, summary: 'out of resources' },
  /** A dependency (database, object store, remote archive) is unavailable; retry later. */
  UNAVAILABLE: { httpStatus: 503, dimseStatus: 0xa700, summary: 'service unavailable' },
  /** The operation did not finish in time. */
  TIMEOUT: { httpStatus: 504, dimseStatus: 0xa700, summary: 'timed out' },
  /** An unexpected fault on our side. Never used for bad input. */
  INTERNAL: { httpStatus: 500, dimseStatus: 0x0110, summary: 'internal error' },

  // ── Client side (SDK) ──────────────────────────────────────────────────────────────────────
  /** The network request failed before an HTTP response arrived (DNS, refused, reset). */
  NETWORK_ERROR: { httpStatus: 502, dimseStatus: 0xa702, summary: 'network error' },
  /** A server answered with an unexpected HTTP status not covered by a more specific code. */
  HTTP_ERROR: { httpStatus: 502, dimseStatus: 0x0110, summary: 'HTTP error' },
  /** A server answered with a body we cannot read (malformed JSON or multipart, an HTML error page). */
  BAD_RESPONSE: { httpStatus: 502, dimseStatus: 0x0110, summary: 'bad response' },
  /** The caller aborted the operation through its AbortSignal. */
  ABORTED: { httpStatus: 499, dimseStatus: 0xfe00, summary: 'aborted' },
  /** The source's circuit breaker is open after repeated failures; calls fail fast until it recovers. */
  CIRCUIT_OPEN: { httpStatus: 503, dimseStatus: 0xa700, summary: 'circuit open' },
} as const satisfies Record<string, { httpStatus: number; dimseStatus: number; summary: string }>;

export type PacsErrorCode = keyof typeof pacsErrorTable;

export interface PacsErrorOptions {
  /** Which archive or source the error came from (SDK federation, server peers). */
  source?: string;
  /** The HTTP status a remote server answered with, when there was one. */
  httpStatus?: number;
  /** Structured, patient-data-free details (attribute tags, limits, parameter names). */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/**
 * The one error type of PacsKit. Messages are for people and must never contain patient data;
 * programs branch on `code`.
 */
export class PacsError extends Error {
  override readonly name = 'PacsError';
  readonly code: PacsErrorCode;
  readonly source: string | undefined;
  /** The HTTP status of the remote answer (SDK), or undefined. See `statusForHttp` for ours. */
  readonly httpStatus: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: PacsErrorCode, message?: string, options: PacsErrorOptions = {}) {
    super(
      message ?? pacsErrorTable[code].summary,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.code = code;
    this.source = options.source;
    this.httpStatus = options.httpStatus;
    this.details = options.details;
  }

  /** The HTTP status a PacsKit server answers with for this error. */
  get statusForHttp(): number {
    return pacsErrorTable[this.code].httpStatus;
  }

  /** The DIMSE status a PacsKit server answers with for this error (PS3.7 C). */
  get statusForDimse(): number {
    return pacsErrorTable[this.code].dimseStatus;
  }

  toJSON(): {
    code: PacsErrorCode;
    message: string;
    source?: string;
    httpStatus?: number;
    details?: unknown;
  } {
    return {
      code: this.code,
      message: this.message,
      ...(this.source === undefined ? {} : { source: this.source }),
      ...(this.httpStatus === undefined ? {} : { httpStatus: this.httpStatus }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

export function isPacsError(value: unknown, code?: PacsErrorCode): value is PacsError {
  return value instanceof PacsError && (code === undefined || value.code === code);
}

export function isPacsErrorCode(value: unknown): value is PacsErrorCode {
  return typeof value === 'string' && Object.hasOwn(pacsErrorTable, value);
}
