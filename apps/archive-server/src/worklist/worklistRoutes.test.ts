import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { errorHandler } from '../http/errorHandler.js';
import { SqliteWorklistStore } from './sqlite/SqliteWorklistStore.js';
import { WorklistService } from './WorklistService.js';
import { worklistRoutes } from './worklistRoutes.js';

describe('worklistRoutes', { timeout: 60_000 }, () => {
  const store = new SqliteWorklistStore(':memory:');
  const service = new WorklistService(store);
  const app = Fastify();

  beforeAll(async () => {
    app.setErrorHandler(errorHandler);
    await app.register(worklistRoutes, {
      service,
      authenticate: async (request, reply) => {
        if (request.headers.authorization !== 'Bearer admin')
          await reply.code(401).send({ code: 'UNAUTHENTICATED' });
      },
    });
  });

  afterAll(async () => {
    await app.close();
    await store.close();
  });

  test('POST /api/worklist schedules a step; GET lists it as SCHEDULED with a generated study UID', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/worklist',
      headers: { authorization: 'Bearer admin' },
      payload: {
        patientID: 'P1',
        patientName: 'DOE^JANE',
        modality: 'MR',
        scheduledStationAETitle: 'MR1',
        scheduledProcedureStepStartDate: '20240301',
      },
    });
    expect(created.statusCode).toBe(201);
    const step = created.json() as {
      scheduledProcedureStepID: string;
      studyInstanceUID: string;
      status: string;
    };
    expect(step.status).toBe('SCHEDULED');
    expect(step.studyInstanceUID).toMatch(/^2\.25\.\d+$/);
    const listed = await app.inject({
      method: 'GET',
      url: '/api/worklist',
      headers: { authorization: 'Bearer admin' },
    });
    expect(listed.json()).toEqual([
      expect.objectContaining({ scheduledProcedureStepID: step.scheduledProcedureStepID }),
    ]);
  });

  test('invalid input is a 400 INVALID_ARGUMENT naming the field', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/worklist',
      headers: { authorization: 'Bearer admin' },
      payload: {
        patientID: 'P2',
        patientName: 'X',
        modality: 'CT',
        scheduledProcedureStepStartDate: '2024-03-01',
      },
    });
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.json())).toContain('scheduledProcedureStepStartDate');
  });

  test('a duplicate step ID is a 409', async () => {
    const body = {
      scheduledProcedureStepID: 'DUP1',
      patientID: 'P3',
      patientName: 'X',
      modality: 'CT',
      scheduledProcedureStepStartDate: '20240301',
    };
    const headers = { authorization: 'Bearer admin' };
    expect(
      (await app.inject({ method: 'POST', url: '/api/worklist', headers, payload: body })).statusCode,
    ).toBe(201);
    expect(
      (await app.inject({ method: 'POST', url: '/api/worklist', headers, payload: body })).statusCode,
    ).toBe(409);
  });

  test('without credentials: 401', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/worklist' })).statusCode).toBe(401);
  });
});
