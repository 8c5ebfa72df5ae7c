import { deidentify, parsePart10, writePart10 } from '@pacskit/dicom';
import type { DeidentifyOptions } from '@pacskit/dicom';

/**
 * De-identifies a Part 10 file before upload: parse, apply @pacskit/dicom's PS3.15 Annex E Basic
 * Profile (`deidentify`, with its options: UID mapper, replacement patient name, kept private
 * attributes), and write it again in the same transfer syntax with a fresh File Meta
 * Information (so Media Storage SOP Instance UID follows the new SOP Instance UID).
 * Pass one `uidMapper` for all files of a study so that their references stay consistent.
 */
export function deidentifyInstance(part10: Uint8Array, options: DeidentifyOptions = {}): Uint8Array {
  const parsed = parsePart10(part10);
  return writePart10({
    dataset: deidentify(parsed.dataset, options),
    transferSyntaxUID: parsed.transferSyntaxUID,
  });
}
