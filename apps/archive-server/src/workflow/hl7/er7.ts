import { PacsError } from '@pacskit/dicom';

/** HL7 v2 encoding characters from MSH-1/MSH-2 (HL7 v2.5 2.5.4). */
export interface Er7Delimiters {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
}

export const defaultDelimiters: Er7Delimiters = {
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
};

/** A parsed message: segments in order, each a list of fields (MSH-1 is the field separator itself). */
export interface Er7Message {
  delimiters: Er7Delimiters;
  segments: string[][];
}

/**
 * Parses an ER7 ("pipe and hat") message. Segments end with CR (LF tolerated); fields keep their
 * raw text (components and escapes are split on access by `component`). Field numbering follows
 * the standard: `segment[1]` is field 1, and for MSH `segment[1]` is MSH-1 (the separator).
 */
export function parseEr7(text: string): Er7Message {
  if (!text.startsWith('MSH') || text.length < 8) {
    throw new PacsError('INVALID_ARGUMENT', 'an HL7 v2 message starts with an MSH segment');
  }
  const field = text[3]!;
  const encoding = text.slice(4, 8);
  if (new Set([field, ...encoding]).size !== 5 || /[A-Za-z0-9\r\n]/.test(field + encoding)) {
    throw new PacsError('INVALID_ARGUMENT', 'invalid HL7 encoding characters');
  }
  const delimiters: Er7Delimiters = {
    field,
    component: encoding[0]!,
    repetition: encoding[1]!,
    escape: encoding[2]!,
    subcomponent: encoding[3]!,
  };
  const segments = text
    .split(/\r\n|\r|\n/)
    .filter((line) => line !== '')
    .map((line) => {
      const fields = line.split(field);
      if (!/^[A-Z][A-Z0-9]{2}$/.test(fields[0] ?? '')) {
        throw new PacsError('INVALID_ARGUMENT', 'invalid HL7 segment name');
      }
      // MSH-1 is the field separator and MSH-2 the encoding characters (HL7 2.5.4).
      return fields[0] === 'MSH' ? ['MSH', field, ...fields.slice(1)] : fields;
    });
  return { delimiters, segments };
}

/** Decodes HL7 escape sequences (\F\ \S\ \T\ \R\ \E\; others are dropped). */
export function unescapeEr7(value: string, d: Er7Delimiters = defaultDelimiters): string {
  const e = d.escape;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c !== e) {
      out += c;
      continue;
    }
    const end = value.indexOf(e, i + 1);
    if (end < 0) {
      out += value.slice(i);
      break;
    }
    const code = value.slice(i + 1, end);
    out +=
      code === 'F'
        ? d.field
        : code === 'S'
          ? d.component
          : code === 'T'
            ? d.subcomponent
            : code === 'R'
              ? d.repetition
              : code === 'E'
                ? d.escape
                : code === '.br'
                  ? '\n'
                  : '';
    i = end;
  }
  return out;
}

/** Escapes text for a component (HL7 2.7.4), line breaks as \.br\. */
export function escapeEr7(value: string, d: Er7Delimiters = defaultDelimiters): string {
  let out = '';
  for (const c of value) {
    if (c === d.escape) out += `${d.escape}E${d.escape}`;
    else if (c === d.field) out += `${d.escape}F${d.escape}`;
    else if (c === d.component) out += `${d.escape}S${d.escape}`;
    else if (c === d.subcomponent) out += `${d.escape}T${d.escape}`;
    else if (c === d.repetition) out += `${d.escape}R${d.escape}`;
    else if (c === '\r' || c === '\n') out += `${d.escape}.br${d.escape}`;
    else out += c;
  }
  return out;
}

/** The first segment with this name. */
export function segment(message: Er7Message, name: string): string[] | undefined {
  return message.segments.find((s) => s[0] === name);
}

/** Field `index`, first repetition, component `component` (1-based), unescaped; '' when absent. */
export function component(
  message: Er7Message,
  seg: string[] | undefined,
  index: number,
  componentIndex = 1,
): string {
  const raw = seg?.[index] ?? '';
  const first = raw.split(message.delimiters.repetition)[0] ?? '';
  const part = first.split(message.delimiters.component)[componentIndex - 1] ?? '';
  return unescapeEr7(part.split(message.delimiters.subcomponent)[0] ?? '', message.delimiters);
}

/**
 * Builds a message from segments given as field lists; a field is text (escaped here) or a list
 * of components. `MSH` fields start at MSH-3 (MSH-1/2 are written from the delimiters).
 */
export function buildEr7(
  segments: [string, ...(string | string[])[]][],
  d: Er7Delimiters = defaultDelimiters,
): string {
  return segments
    .map(([name, ...fields]) => {
      const text = fields.map((f) =>
        typeof f === 'string' ? escapeEr7(f, d) : f.map((c) => escapeEr7(c, d)).join(d.component),
      );
      if (name === 'MSH') {
        return `MSH${d.field}${d.component}${d.repetition}${d.escape}${d.subcomponent}${d.field}${text.join(d.field)}`;
      }
      return [name, ...text].join(d.field);
    })
    .join('\r')
    .concat('\r');
}
