import { PacsError } from '@pacskit/dicom';
import { parseMediaType } from './parseMediaType.js';

export interface MultipartPart {
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** The part's Content-Type, or the `type` parameter of the message when the part has none. */
  contentType: string;
  data: Uint8Array;
}

export interface ParseMultipartOptions {
  /** The adapter id, for errors. */
  source?: string;
  httpStatus?: number;
}

/**
 * Parses a `multipart/related` body (RFC 2387, RFC 2046 5.1; PS3.18 8.7.3.2).
 *
 * Works around what dicomweb-client's `multipartDecode` gets wrong:
 * - headers are cut from every part, not only the first (dcmjs-org/dicomweb-client#17, Orthanc);
 * - the boundary may be quoted, and the `type` parameter may contain `;` (see parseMediaType);
 * - a preamble before the first delimiter and transport padding after a delimiter are ignored;
 * - a body without the closing delimiter is reported as truncated (BAD_RESPONSE), never as fewer parts.
 * Parts are views on the body (no copy).
 */
export function parseMultipartRelated(
  body: Uint8Array,
  contentType: string,
  options: ParseMultipartOptions = {},
): MultipartPart[] {
  const bad = (message: string) =>
    new PacsError('BAD_RESPONSE', message, { source: options.source, httpStatus: options.httpStatus });
  const mediaType = parseMediaType(contentType);
  if (!mediaType.type.startsWith('multipart/')) throw bad(`expected a multipart body, got ${mediaType.type}`);
  const boundary = mediaType.parameters.boundary;
  if (boundary === undefined || boundary === '') throw bad('multipart body without a boundary parameter');
  const defaultType = mediaType.parameters.type ?? 'application/octet-stream';
  const delimiter = new TextEncoder().encode(`--${boundary}`);

  const parts: MultipartPart[] = [];
  // The first delimiter may start the body or follow a preamble line.
  let position = indexOf(body, delimiter, 0);
  if (position === -1) throw bad('multipart body without its boundary');
  for (;;) {
    let cursor = position + delimiter.length;
    if (body[cursor] === 0x2d && body[cursor + 1] === 0x2d) return finish(parts, bad); // "--": close
    // Skip transport padding up to the end of the delimiter line.
    const lineEnd = indexOf(body, LF, cursor);
    if (lineEnd === -1) throw bad('truncated multipart body');
    cursor = lineEnd + 1;
    const headerEnd = findHeaderEnd(body, cursor);
    if (headerEnd === undefined) throw bad('truncated multipart part headers');
    const headers = parseHeaders(body.subarray(cursor, headerEnd.start));
    const dataStart = headerEnd.end;
    const next = indexOf(body, delimiter, dataStart);
    if (next === -1) throw bad('truncated multipart body: closing boundary missing');
    // The CRLF before a delimiter belongs to the delimiter (RFC 2046 5.1.1).
    let dataEnd = next;
    if (dataEnd > dataStart && body[dataEnd - 1] === 0x0a) dataEnd--;
    if (dataEnd > dataStart && body[dataEnd - 1] === 0x0d) dataEnd--;
    const declared = headers['content-length'];
    if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > dataEnd - dataStart) {
      throw bad('multipart part shorter than its Content-Length');
    }
    parts.push({
      headers,
      contentType: headers['content-type'] ?? defaultType,
      data: body.subarray(dataStart, dataEnd),
    });
    position = next;
  }
}

const LF = new Uint8Array([0x0a]);

function finish(parts: MultipartPart[], bad: (message: string) => PacsError): MultipartPart[] {
  if (parts.length === 0) throw bad('multipart body without parts');
  return parts;
}

function findHeaderEnd(body: Uint8Array, from: number): { start: number; end: number } | undefined {
  // A part with no headers starts straight after the delimiter line with an empty line.
  if (body[from] === 0x0d && body[from + 1] === 0x0a) return { start: from, end: from + 2 };
  if (body[from] === 0x0a) return { start: from, end: from + 1 };
  for (let i = from; i < body.length - 1; i++) {
    if (body[i] !== 0x0a) continue;
    if (body[i + 1] === 0x0a) return { start: i, end: i + 2 };
    if (body[i + 1] === 0x0d && body[i + 2] === 0x0a) return { start: i, end: i + 3 };
  }
  return undefined;
}

function parseHeaders(bytes: Uint8Array): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of new TextDecoder('latin1').decode(bytes).split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Index of `needle` in `haystack` at or after `from`, or -1. */
export function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  const last = haystack.length - needle.length;
  outer: for (
    let i = haystack.indexOf(first!, from);
    i !== -1 && i <= last;
    i = haystack.indexOf(first!, i + 1)
  ) {
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
