export interface EncodedMultipart {
  body: Uint8Array;
  /** With `type` and `boundary` quoted (PS3.18 8.7.3.5.1; dcmjs-org/dicomweb-client#30). */
  contentType: string;
}

/**
 * Encodes parts of one media type as `multipart/related` (RFC 2387). Lengths are computed
 * on bytes, not strings (dcmjs-org/dicomweb-client#99 miscounted them).
 */
export function encodeMultipartRelated(
  parts: readonly Uint8Array[],
  partType: string,
  boundary: string,
): EncodedMultipart {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const part of parts) {
    chunks.push(
      encoder.encode(`--${boundary}\r\nContent-Type: ${partType}\r\n\r\n`),
      part,
      encoder.encode('\r\n'),
    );
  }
  chunks.push(encoder.encode(`--${boundary}--\r\n`));
  const body = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.length;
  }
  return { body, contentType: `multipart/related; type="${partType}"; boundary="${boundary}"` };
}
