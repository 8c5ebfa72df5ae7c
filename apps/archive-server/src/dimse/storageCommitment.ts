import { PacsError } from '@pacskit/dicom';
import type { DicomJsonDataset } from '@pacskit/dicom';
import { Client, Dataset, constants, internals, requests } from './dcmjsDimse.js';
import type { DimseAssociation, DimseAssociationContext } from './dimseAssociation.js';
import { sopClass, storageCommitmentPushModelInstance } from './sopClasses.js';

const { PresentationContextResult } = constants;
/** PS3.4 J.3.3.1: Failure Reason 0x0112 "No such object instance". */
const noSuchObjectInstance = 0x0112;

function referencesOf(request: DicomJsonDataset): { sopClassUID: string; sopInstanceUID: string }[] {
  const items = request['00081199']?.Value ?? [];
  return items.flatMap((item) => {
    const dataset = item as DicomJsonDataset;
    const sopClassUID = dataset['00081150']?.Value?.[0];
    const sopInstanceUID = dataset['00081155']?.Value?.[0];
    return typeof sopClassUID === 'string' && typeof sopInstanceUID === 'string'
      ? [{ sopClassUID, sopInstanceUID }]
      : [];
  });
}

/**
 * Answers a Storage Commitment N-ACTION with an N-EVENT-REPORT (PS3.4 J.3.3): Event Type 1 when
 * every referenced instance is durably stored, 2 with a Failed SOP Sequence otherwise. Sent on the
 * requesting association while it is open (and the SCU accepted the context), else on a new
 * association to the requester's AE table entry.
 */
export async function sendStorageCommitmentReport(options: {
  association: DimseAssociation;
  open: boolean;
  sameAssociation: boolean;
  requesterAE: string;
  context: DimseAssociationContext;
  request: DicomJsonDataset;
  transactionUID: string;
}): Promise<number> {
  const { context, association } = options;
  const references = referencesOf(options.request);
  const stored = await context.services.findStoredInstances({
    references,
    signal: AbortSignal.timeout(60_000),
  });
  const committed = references.filter((reference) => stored.has(reference.sopInstanceUID));
  const failed = references.filter((reference) => !stored.has(reference.sopInstanceUID));
  const report: Record<string, unknown> = {
    TransactionUID: options.transactionUID,
    ...(committed.length > 0
      ? {
          ReferencedSOPSequence: committed.map((reference) => ({
            ReferencedSOPClassUID: reference.sopClassUID,
            ReferencedSOPInstanceUID: reference.sopInstanceUID,
          })),
        }
      : {}),
    ...(failed.length > 0
      ? {
          FailedSOPSequence: failed.map((reference) => ({
            ReferencedSOPClassUID: reference.sopClassUID,
            ReferencedSOPInstanceUID: reference.sopInstanceUID,
            FailureReason: noSuchObjectInstance,
          })),
        }
      : {}),
  };
  const eventTypeID = failed.length === 0 ? 1 : 2;
  const build = () => {
    const event = new requests.NEventReportRequest(
      sopClass.storageCommitmentPushModel,
      storageCommitmentPushModelInstance,
      eventTypeID,
    );
    event.setDataset(new Dataset(report));
    return event;
  };
  const sameAssociationUsable =
    options.sameAssociation &&
    association.isOpen &&
    internals(association).association?.getAcceptedPresentationContextFromRequest(build())?.getResult() ===
      PresentationContextResult.Accept;
  if (sameAssociationUsable) return association.sendRequestAndWait(build());

  const requester = await context.aeTable.lookup(options.requesterAE);
  if (!requester) throw new PacsError('UNKNOWN_AE', 'storage commitment requester not in the AE table');
  // A report is one small message, so dcmjs-dimse's Client (Nagle on, naturalized data set with
  // no private attributes) is good enough here.
  return new Promise<number>((resolve, reject) => {
    const client = new Client();
    let status: number | undefined;
    const event = build();
    event.on('response', (response: { getStatus(): number }) => {
      status = response.getStatus();
    });
    client.addRequest(event);
    client.on('networkError', (error: Error) => reject(new PacsError('ASSOCIATION_FAILED', error.message)));
    client.on('associationRejected', () =>
      reject(new PacsError('ASSOCIATION_FAILED', 'association rejected')),
    );
    client.on('closed', () =>
      status === undefined ? reject(new PacsError('ASSOCIATION_FAILED', 'no response')) : resolve(status),
    );
    client.send(requester.host, requester.port, context.aeTitle, requester.aeTitle);
  });
}
