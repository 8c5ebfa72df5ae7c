import { createHmac, randomUUID } from 'node:crypto';
import type { WorkflowStore } from './WorkflowStore.js';
import type { WebhookDeliveryRecord, WebhookEvent, WebhookSubscriptionRecord } from './WorkflowRecords.js';

/** Deliveries claimed per round trip, and the slack their lease gets beyond their timeouts. */
const claimBatch = 10;
const leaseMarginMs = 30_000;

export interface WebhookDispatcherOptions {
  store: WorkflowStore;
  clock: { now(): number };
  fetch?: typeof fetch;
  /** Attempts before a delivery goes to the dead-letter list (default 6). */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt (default 10 s: 10, 20, 40, 80, 160 s). */
  baseDelayMs?: number;
  timeoutMs?: number;
}

/**
 * Event notifications: each event becomes one delivery per matching subscription, stored first
 * (so a crash loses nothing), then POSTed with an HMAC-SHA256 signature. Failures retry with
 * exponential backoff; after `maxAttempts` the delivery is dead-lettered. Payloads carry ids and
 * UIDs, never patient names.
 */
export function createWebhookDispatcher(options: WebhookDispatcherOptions) {
  const { store, clock } = options;
  const doFetch = options.fetch ?? fetch;
  const maxAttempts = options.maxAttempts ?? 6;
  const baseDelay = options.baseDelayMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function deliver(
    delivery: WebhookDeliveryRecord,
    subscription: WebhookSubscriptionRecord | undefined,
  ) {
    let error: string | undefined;
    if (!subscription?.active) error = 'subscription removed';
    else {
      const timestamp = String(Math.floor(clock.now() / 1000));
      const signature = createHmac('sha256', subscription.secret)
        .update(`${timestamp}.${delivery.payload}`)
        .digest('hex');
      try {
        const response = await doFetch(subscription.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-pacskit-event': delivery.event,
            'x-pacskit-delivery': delivery.id,
            'x-pacskit-timestamp': timestamp,
            'x-pacskit-signature': `sha256=${signature}`,
          },
          body: delivery.payload,
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.body?.cancel();
        if (response.status < 200 || response.status >= 300) error = `HTTP ${response.status}`;
      } catch (cause) {
        error = (cause as Error).name || 'network error';
      }
    }
    const attempts = delivery.attempts + 1;
    const updated: WebhookDeliveryRecord =
      error === undefined
        ? { ...delivery, attempts, status: 'delivered', lastError: undefined }
        : attempts >= maxAttempts || error === 'subscription removed'
          ? { ...delivery, attempts, status: 'dead', lastError: error }
          : {
              ...delivery,
              attempts,
              lastError: error,
              nextAttemptAt: clock.now() + baseDelay * 2 ** (attempts - 1),
            };
    await store.updateDelivery(updated);
    return updated;
  }

  return {
    async emit(event: WebhookEvent, data: Record<string, unknown>): Promise<number> {
      const subscriptions = (await store.listWebhooks()).filter((s) => s.active && s.events.includes(event));
      for (const subscription of subscriptions) {
        await store.insertDelivery({
          id: randomUUID(),
          subscriptionId: subscription.id,
          event,
          payload: JSON.stringify({ event, at: new Date(clock.now()).toISOString(), data }),
          attempts: 0,
          nextAttemptAt: clock.now(),
          status: 'pending',
          lastError: undefined,
          createdAt: clock.now(),
        });
      }
      return subscriptions.length;
    },

    /**
     * Attempts every due delivery once; call it from a timer (`start`) or from tests. Deliveries
     * are claimed a few at a time with a lease covering their attempts, so several archive
     * processes sharing the store never send one delivery twice.
     */
    async processDue(limit = 100): Promise<WebhookDeliveryRecord[]> {
      const results: WebhookDeliveryRecord[] = [];
      let subscriptions: Map<string, WebhookSubscriptionRecord> | undefined;
      while (results.length < limit) {
        const batch = Math.min(claimBatch, limit - results.length);
        const now = clock.now();
        const due = await store.claimDueDeliveries(now, batch, now + batch * timeoutMs + leaseMarginMs);
        if (due.length === 0) break;
        subscriptions ??= new Map((await store.listWebhooks()).map((s) => [s.id, s]));
        for (const delivery of due)
          results.push(await deliver(delivery, subscriptions.get(delivery.subscriptionId)));
        if (due.length < batch) break;
      }
      return results;
    },

    /** Polls for due deliveries every `intervalMs`; returns a stop function. */
    start(intervalMs = 5000): () => void {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        void this.processDue()
          .catch(() => undefined)
          .finally(() => {
            running = false;
          });
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },

    deadLetters(): Promise<WebhookDeliveryRecord[]> {
      return store.listDeliveries('dead');
    },
  };
}

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;
