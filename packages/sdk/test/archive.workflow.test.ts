import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArchiveAdapter } from '../src/adapters/archive/createArchiveAdapter.js';
import type { ArchiveAdapter } from '../src/adapters/archive/createArchiveAdapter.js';
import { missingWorkflowRoutes } from '../src/workflow/workflowRoutes.js';
import type { ArchiveServer } from './archiveServerFixture.js';
import { startArchiveServer } from './archiveServerFixture.js';

// The workflow client against the real archive server: its OpenAPI document declares every route
// the client calls, and an order goes through its life cycle.
describe('archive workflow client against the archive server', () => {
  let server: ArchiveServer;
  let archive: ArchiveAdapter;

  beforeAll(async () => {
    server = await startArchiveServer();
    archive = createArchiveAdapter({
      baseUrl: server.baseUrl,
      auth: { type: 'basic', username: server.username, password: server.password },
    });
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('calls no route the OpenAPI document lacks', async () => {
    const document = (await (await fetch(`${server.baseUrl}/api/openapi.json`)).json()) as {
      paths?: Record<string, Record<string, unknown>>;
    };
    expect(missingWorkflowRoutes(document)).toEqual([]);
  });

  it('creates an order, moves it and refuses a move backwards with CONFLICT', async () => {
    const order = await archive.workflow.orders.create({
      patientId: 'SDK-1',
      patientName: 'Test^Sdk',
      modality: 'CT',
    });
    expect(order.status).toBe('scheduled');
    expect((await archive.workflow.orders.setStatus(order.id, 'arrived')).status).toBe('arrived');
    await expect(archive.workflow.orders.setStatus(order.id, 'scheduled')).rejects.toMatchObject({
      code: 'CONFLICT',
      httpStatus: 409,
    });
  });
});
