/**
 * Encodes a DIMSE command set (PS3.7 E.1: group 0000, always Implicit VR Little Endian) for the
 * requests we send with raw data set bytes. dcmjs-dimse would encode the command too, but only
 * together with a data set it re-encodes through dcmjs (dropping private tags), so the C-STORE
 * sub-operations of C-GET/C-MOVE write their own command and stream the stored bytes after it.
 */
export type CommandValue =
  | { type: 'UI' | 'AE' | 'LO'; value: string }
  | { type: 'US'; value: number }
  | { type: 'UL'; value: number };

export interface CommandElement {
  element: number;
  value: CommandValue;
}

function encodeValue(value: CommandValue): Buffer {
  switch (value.type) {
    case 'UI': {
      const padded = value.value.length % 2 === 0 ? value.value : `${value.value}\0`;
      return Buffer.from(padded, 'ascii');
    }
    case 'AE':
    case 'LO': {
      const padded = value.value.length % 2 === 0 ? value.value : `${value.value} `;
      return Buffer.from(padded, 'ascii');
    }
    case 'US': {
      const buffer = Buffer.alloc(2);
      buffer.writeUInt16LE(value.value, 0);
      return buffer;
    }
    case 'UL': {
      const buffer = Buffer.alloc(4);
      buffer.writeUInt32LE(value.value, 0);
      return buffer;
    }
    default:
      return value satisfies never;
  }
}

export function encodeCommandSet(elements: readonly CommandElement[]): Buffer {
  const sorted = [...elements].sort((a, b) => a.element - b.element);
  const parts = sorted.map(({ element, value }) => {
    const encoded = encodeValue(value);
    const header = Buffer.alloc(8);
    header.writeUInt16LE(0x0000, 0);
    header.writeUInt16LE(element, 2);
    header.writeUInt32LE(encoded.length, 4);
    return Buffer.concat([header, encoded]);
  });
  const body = Buffer.concat(parts);
  const groupLength = Buffer.alloc(12);
  groupLength.writeUInt16LE(0x0000, 0);
  groupLength.writeUInt16LE(0x0000, 2);
  groupLength.writeUInt32LE(4, 4);
  groupLength.writeUInt32LE(body.length, 8);
  return Buffer.concat([groupLength, body]);
}

/** C-STORE-RQ (PS3.7 9.3.1.1), optionally as a C-MOVE sub-operation (Move Originator fields). */
export function encodeCStoreRequest(request: {
  messageID: number;
  sopClassUID: string;
  sopInstanceUID: string;
  moveOriginatorAETitle?: string;
  moveOriginatorMessageID?: number;
}): Buffer {
  const elements: CommandElement[] = [
    { element: 0x0002, value: { type: 'UI', value: request.sopClassUID } },
    { element: 0x0100, value: { type: 'US', value: 0x0001 } },
    { element: 0x0110, value: { type: 'US', value: request.messageID } },
    { element: 0x0700, value: { type: 'US', value: 0x0000 } },
    // Any value other than 0x0101 means a data set follows (PS3.7 E.1-1).
    { element: 0x0800, value: { type: 'US', value: 0x0000 } },
    { element: 0x1000, value: { type: 'UI', value: request.sopInstanceUID } },
  ];
  if (request.moveOriginatorAETitle !== undefined) {
    elements.push({ element: 0x1030, value: { type: 'AE', value: request.moveOriginatorAETitle } });
  }
  if (request.moveOriginatorMessageID !== undefined) {
    elements.push({ element: 0x1031, value: { type: 'US', value: request.moveOriginatorMessageID } });
  }
  return encodeCommandSet(elements);
}

/** A received command set: element number (group 0000) to its value bytes. */
export type DecodedCommandSet = ReadonlyMap<number, Buffer>;

/**
 * Decodes a command set (PS3.7 E.1, Implicit VR Little Endian, group 0000 only). Used on the hot
 * C-STORE path instead of dcmjs-dimse, which parses every command through dcmjs's naturalized
 * data set (about as costly as the rest of a small C-STORE). Undefined when malformed.
 */
export function decodeCommandSet(bytes: Buffer): DecodedCommandSet | undefined {
  const elements = new Map<number, Buffer>();
  let offset = 0;
  while (offset + 8 <= bytes.length) {
    if (bytes.readUInt16LE(offset) !== 0x0000) return undefined;
    const element = bytes.readUInt16LE(offset + 2);
    const length = bytes.readUInt32LE(offset + 4);
    const end = offset + 8 + length;
    if (end > bytes.length) return undefined;
    elements.set(element, bytes.subarray(offset + 8, end));
    offset = end;
  }
  return offset === bytes.length ? elements : undefined;
}

export function commandUS(command: DecodedCommandSet, element: number): number | undefined {
  const value = command.get(element);
  return value && value.length >= 2 ? value.readUInt16LE(0) : undefined;
}

/** A UI or AE value without its padding (NUL for UI, space for AE: PS3.5 6.2). */
export function commandText(command: DecodedCommandSet, element: number): string | undefined {
  const value = command.get(element);
  return value
    ? value
        .toString('latin1')
        .replace(/[\0 ]+$/, '')
        .trimStart()
    : undefined;
}

/** C-STORE-RSP (PS3.7 9.3.1.2). */
export function encodeCStoreResponse(response: {
  messageID: number;
  sopClassUID: string;
  sopInstanceUID: string;
  status: number;
  errorComment?: string | undefined;
}): Buffer {
  const elements: CommandElement[] = [
    { element: 0x0002, value: { type: 'UI', value: response.sopClassUID } },
    { element: 0x0100, value: { type: 'US', value: 0x8001 } },
    { element: 0x0120, value: { type: 'US', value: response.messageID } },
    { element: 0x0800, value: { type: 'US', value: 0x0101 } },
    { element: 0x0900, value: { type: 'US', value: response.status } },
    { element: 0x1000, value: { type: 'UI', value: response.sopInstanceUID } },
  ];
  if (response.errorComment) {
    elements.push({ element: 0x0902, value: { type: 'LO', value: response.errorComment } });
  }
  return encodeCommandSet(elements);
}

/** C-ECHO-RSP (PS3.7 9.3.5.2). */
export function encodeCEchoResponse(response: {
  messageID: number;
  sopClassUID: string;
  status: number;
}): Buffer {
  return encodeCommandSet([
    { element: 0x0002, value: { type: 'UI', value: response.sopClassUID } },
    { element: 0x0100, value: { type: 'US', value: 0x8030 } },
    { element: 0x0120, value: { type: 'US', value: response.messageID } },
    { element: 0x0800, value: { type: 'US', value: 0x0101 } },
    { element: 0x0900, value: { type: 'US', value: response.status } },
  ]);
}
