import { PacsError } from '@pacskit/dicom';
import type { DicomJsonDataset } from '@pacskit/dicom';
import { parseJsonBody } from '../../http/httpTransport.js';
import type { HttpResponse } from '../../http/httpTransport.js';
import type { FailedInstanceReference, StoreResult, StoredInstanceReference } from '../../pacsAdapter.js';
import { getNumber, getText } from '../../views/dicomJsonValues.js';
import { readDicomJsonDataset } from '../../views/readDicomJson.js';
import { tags } from '../../views/tags.js';

/** Reads a STOW-RS answer (PS3.18 10.5.3, Table 10.5.3-1). */
export function readStoreResponse(response: HttpResponse, source: string): StoreResult {
  const parsed = parseJsonBody(response, source);
  // Some servers send a one-element array instead of a data set.
  const value = Array.isArray(parsed) && parsed.length === 1 ? parsed[0] : parsed;
  if (value === undefined) {
    throw new PacsError('BAD_RESPONSE', 'STOW-RS answer without a response data set', {
      source,
      httpStatus: response.status,
    });
  }
  const dataset = readDicomJsonDataset(value, source, response.status);
  const items = (tag: string) =>
    (dataset[tag]?.Value ?? []).filter(
      (item): item is DicomJsonDataset =>
        item !== null && typeof item === 'object' && !('Alphabetic' in item),
    );
  const stored = items(tags.ReferencedSOPSequence).map((item): StoredInstanceReference => {
    const retrieveURL = getText(item, tags.RetrieveURL);
    const warningReason = getNumber(item, tags.WarningReason);
    return {
      sopClassUID: getText(item, tags.ReferencedSOPClassUID) ?? '',
      sopInstanceUID: getText(item, tags.ReferencedSOPInstanceUID) ?? '',
      ...(retrieveURL ? { retrieveURL } : {}),
      ...(warningReason === undefined ? {} : { warningReason }),
    };
  });
  const failed = items(tags.FailedSOPSequence).map((item): FailedInstanceReference => {
    const sopClassUID = getText(item, tags.ReferencedSOPClassUID);
    const sopInstanceUID = getText(item, tags.ReferencedSOPInstanceUID);
    return {
      ...(sopClassUID ? { sopClassUID } : {}),
      ...(sopInstanceUID ? { sopInstanceUID } : {}),
      failureReason: getNumber(item, tags.FailureReason) ?? 0xc000,
    };
  });
  if (response.status === 409 && failed.length === 0) {
    throw new PacsError('CONFLICT', 'STOW-RS answered 409 without failure details', {
      source,
      httpStatus: 409,
    });
  }
  return {
    response: dataset,
    stored,
    failed,
    hasWarnings: response.status === 202 || stored.some((item) => item.warningReason !== undefined),
  };
}
