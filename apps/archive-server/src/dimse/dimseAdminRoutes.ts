import { PacsError } from '@pacskit/dicom';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AeTable, RemoteApplicationEntity } from './aeTable.js';
import { aeTableFileSchema } from './aeTable.js';
import type { ScuJobs } from './scuJobs.js';

/** An AE table the admin routes can change (MemoryAeTable, SqliteAeTable, PostgresAeTable). */
export interface ManagedAeTable extends AeTable {
  list(): RemoteApplicationEntity[] | Promise<RemoteApplicationEntity[]>;
  set(entry: RemoteApplicationEntity): void | Promise<void>;
  delete(aeTitle: string): boolean | Promise<boolean>;
}

export interface DimseAdminRoutesOptions {
  aeTable: ManagedAeTable;
  jobs: ScuJobs;
  /** The archive's admin authentication hook (onRequest). */
  authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
}

const entrySchema = aeTableFileSchema.valueType;

/**
 * Admin routes of the DIMSE front end: the AE table (`/api/dicom/aes`) and SCU jobs against remote
 * AEs (`/api/dicom/jobs`, `/api/dicom/dead-letters`; newest first, kept in the job queue). PacsError → HTTP status via the server's
 * error handler.
 */
export async function dimseAdminRoutes(
  app: FastifyInstance,
  options: DimseAdminRoutesOptions,
): Promise<void> {
  app.addHook('onRequest', options.authenticate);
  app.get('/api/dicom/aes', async () => options.aeTable.list());
  app.put('/api/dicom/aes/:aeTitle', async (request) => {
    const { aeTitle } = request.params as { aeTitle: string };
    const parsed = z.object({ aeTitle: aeTableFileSchema.keyType }).safeParse({ aeTitle });
    const body = entrySchema.safeParse(request.body);
    if (!parsed.success || !body.success) {
      throw new PacsError('INVALID_ARGUMENT', 'invalid AE table entry', {
        details: {
          issues: [...(parsed.error?.issues ?? []), ...(body.error?.issues ?? [])].map((i) => i.message),
        },
      });
    }
    const entry: RemoteApplicationEntity = { aeTitle, ...body.data } as RemoteApplicationEntity;
    await options.aeTable.set(entry);
    return entry;
  });
  app.delete('/api/dicom/aes/:aeTitle', async (request, reply) => {
    const { aeTitle } = request.params as { aeTitle: string };
    if (!(await options.aeTable.delete(aeTitle))) throw new PacsError('NOT_FOUND', 'no such AE');
    return reply.code(204).send();
  });
  app.post('/api/dicom/jobs', async (request, reply) =>
    reply.code(202).send(await options.jobs.submit(request.body)),
  );
  app.get('/api/dicom/jobs', async () => options.jobs.list());
  app.get('/api/dicom/jobs/:id', async (request) => {
    const job = await options.jobs.get((request.params as { id: string }).id);
    if (!job) throw new PacsError('NOT_FOUND', 'no such job');
    return job;
  });
  app.get('/api/dicom/dead-letters', async () => options.jobs.deadLetters());
}
