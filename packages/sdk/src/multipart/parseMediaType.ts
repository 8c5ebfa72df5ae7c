export interface MediaType {
  /** Lower-case `type/subtype`. */
  type: string;
  /** Parameter names lower-cased; quoted values unquoted (RFC 9110 5.6.6). */
  parameters: Record<string, string>;
}

/**
 * Parses a Content-Type value. Quoted parameter values may contain `;` — Orthanc sends
 * `type="application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1"` — which naive
 * `split(';')` parsers (dicomweb-client's among them) get wrong.
 */
export function parseMediaType(value: string): MediaType {
  let index = value.indexOf(';');
  if (index === -1) index = value.length;
  const type = value.slice(0, index).trim().toLowerCase();
  const parameters: Record<string, string> = {};
  let i = index + 1;
  while (i < value.length) {
    while (i < value.length && (value[i] === ' ' || value[i] === '\t' || value[i] === ';')) i++;
    const eq = value.indexOf('=', i);
    if (eq === -1) break;
    const name = value.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    let parameterValue = '';
    if (value[i] === '"') {
      i++;
      while (i < value.length && value[i] !== '"') {
        if (value[i] === '\\' && i + 1 < value.length) i++;
        parameterValue += value[i];
        i++;
      }
      i++;
    } else {
      const end = value.indexOf(';', i);
      const stop = end === -1 ? value.length : end;
      parameterValue = value.slice(i, stop).trim();
      i = stop;
    }
    if (name !== '') parameters[name] = parameterValue;
  }
  return { type, parameters };
}

/** The transfer syntax of a part: its own `transfer-syntax`, or the one nested in the `type` parameter. */
export function transferSyntaxOf(mediaType: MediaType): string | undefined {
  const direct = mediaType.parameters['transfer-syntax'];
  if (direct !== undefined && direct !== '*') return direct;
  const nested = mediaType.parameters.type;
  if (nested === undefined) return undefined;
  const inner = parseMediaType(nested).parameters['transfer-syntax'];
  return inner === '*' ? undefined : inner;
}
