import dcmjsDimse from 'dcmjs-dimse';
import type { Socket } from 'node:net';

/**
 * dcmjs-dimse 0.3.3 is a CommonJS bundle; its classes are reached through the default export.
 * Fields of its `Network` base class we rely on (not in its typings) are declared here once.
 */
export const { Scp, Dataset, Implementation, Client, association, requests, responses, constants } =
  dcmjsDimse;

/** dcmjs-dimse logs through loglevel to the console (data sets included at debug level). */
export function silenceDcmjsDimseLog(): void {
  dcmjsDimse.log.setLevel('silent');
}

export type Scp = InstanceType<typeof Scp>;
export type Association = InstanceType<typeof association.Association>;
export type PresentationContext = InstanceType<typeof association.PresentationContext>;
export type DimseRequest = InstanceType<typeof requests.Request>;
export type DimseResponse = InstanceType<typeof responses.Response>;
export type CStoreRequest = InstanceType<typeof requests.CStoreRequest>;
export type CFindRequest = InstanceType<typeof requests.CFindRequest>;
export type CMoveRequest = InstanceType<typeof requests.CMoveRequest>;
export type CGetRequest = InstanceType<typeof requests.CGetRequest>;
export type Dataset = InstanceType<typeof Dataset>;

/** A request awaiting its response in `Network.pending` (matched on Message ID Being Responded To). */
export interface PendingRequest {
  getMessageId(): number;
  raiseResponseEvent(response: DimseResponse): void;
  raiseDoneEvent(): void;
}

export interface NetworkInternals {
  socket: Socket;
  pending: PendingRequest[];
  association: Association | undefined;
  connected: boolean;
  /** dcmjs-dimse's association/PDU timeout timer (an interval). */
  timeoutIntervalId: ReturnType<typeof setInterval> | undefined;
}

export function internals(network: Scp): NetworkInternals {
  return network as unknown as NetworkInternals;
}
