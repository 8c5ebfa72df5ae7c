import type { FastifyBaseLogger } from 'fastify';
import type { StoreOutcome } from '../services/IngestService.js';

/** One part of a STOW-RS request: refused before ingest (its outcome), or handed to the batch. */
export type StowSlot = StoreOutcome | 'batch';

/**
 * The outcomes in request order, the batch's committed outcomes filling its slots, and each
 * failure logged: the code, the message (patient-free by contract) and the details, no patient data.
 */
export function outcomesInOrder(
  order: readonly StowSlot[],
  committed: readonly StoreOutcome[],
  log: FastifyBaseLogger,
): StoreOutcome[] {
  let next = 0;
  const outcomes = order.map((slot) => (slot === 'batch' ? (committed[next++] as StoreOutcome) : slot));
  for (const outcome of outcomes) {
    if (outcome.failure) {
      log.warn({ code: outcome.failure.code, details: outcome.failure.details }, outcome.failure.message);
    }
  }
  return outcomes;
}
