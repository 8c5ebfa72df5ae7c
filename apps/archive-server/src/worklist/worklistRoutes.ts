import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WorklistService } from './WorklistService.js';

export interface WorklistRoutesOptions {
  service: WorklistService;
  /** The archive's admin authentication hook (onRequest). */
  authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
}

/**
 * Admin routes of the Modality Worklist, until the workflow API feeds it from orders:
 * `POST /api/worklist` schedules a procedure step, `GET /api/worklist` lists them (with status),
 * `GET /api/worklist/performed` lists MPPS received. Errors go through the server's error handler
 * (PacsError → HTTP status).
 */
export async function worklistRoutes(app: FastifyInstance, options: WorklistRoutesOptions): Promise<void> {
  app.addHook('onRequest', options.authenticate);
  app.post('/api/worklist', async (request, reply) => {
    const step = await options.service.scheduleStep(request.body);
    return reply.code(201).send(step);
  });
  app.get('/api/worklist', async () => options.service.listScheduledSteps());
  app.get('/api/worklist/performed', async () =>
    (await options.service.listPerformedSteps()).map((step) => ({
      ...step,
      dataset: JSON.parse(step.dataset),
    })),
  );
}
