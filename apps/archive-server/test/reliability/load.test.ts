import { rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ArchiveNode,
  Recorder,
  type SentInstance,
  datasetSha256,
  ensureBuilt,
  ensureResultsDir,
  formatTable,
  http,
  indexedInstances,
  killNode,
  makeInstance,
  newNode,
  newUid,
  openStorer,
  retrieve,
  startScaleOut,
  stow,
  verifyRetrievable,
} from './harness.js';

/**
 * Issue 9 load test, both storage modes: 32 DIMSE associations storing and 64 HTTP clients
 * searching (QIDO-RS) and retrieving (WADO-RS) at once for a fixed time. Throughput and latency are
 * printed and written to .test-results/load-<mode>.json (bench/RESULTS.md quotes them), not
 * asserted: the assertions are no unexpected error and every acknowledged instance retrievable
 * byte-for-byte afterwards.
 */
const seconds = Number(process.env.PACSKIT_LOAD_SECONDS ?? 12);
const associations = 32;
const httpClients = 64;

type Mode = 'embedded' | 'scale-out';

describe.each<Mode>(['embedded', 'scale-out'])('load, %s', (mode) => {
  let nodes: ArchiveNode[] = [];
  let stop: () => Promise<void> = async () => undefined;
  const seeded: SentInstance[] = [];
  const seedPatient = `LOADSEED-${newUid().slice(-8)}`;

  beforeAll(async () => {
    ensureBuilt();
    if (mode === 'embedded') {
      const node = await newNode();
      nodes = [node];
      stop = async () => {
        await killNode(node);
        rmSync(node.dataDir, { recursive: true, force: true });
      };
    } else {
      const scaleOut = await startScaleOut(2);
      nodes = scaleOut.nodes;
      stop = scaleOut.stop;
    }
    // What the readers read: 8 studies of 5 instances, stored before the load starts.
    for (let s = 0; s < 8; s++) {
      const study = newUid();
      const instances = Array.from({ length: 5 }, () => makeInstance({ study, patientID: seedPatient }));
      const answer = await stow(nodes[s % nodes.length]!.httpPort, instances);
      if (answer.status !== 200) throw new Error(`seeding answered ${answer.status}`);
      seeded.push(...instances);
    }
  }, 120_000);

  afterAll(() => stop());

  it(`${associations} associations storing and ${httpClients} HTTP clients reading for a fixed time lose nothing`, {
    timeout: 180_000,
  }, async () => {
    const recorder = new Recorder();
    const acknowledged: SentInstance[] = [];
    const loadPatient = `LOAD-${newUid().slice(-8)}`;
    const deadline = performance.now() + seconds * 1000;

    const storer = async (worker: number) => {
      const node = nodes[worker % nodes.length]!;
      const operation = 'C-STORE';
      let association: Awaited<ReturnType<typeof openStorer>>;
      try {
        association = await openStorer(node.dicomPort);
      } catch (error) {
        recorder.error('A-ASSOCIATE', (error as Error).message);
        return;
      }
      const study = newUid();
      while (performance.now() < deadline) {
        const instance = makeInstance({ study, patientID: loadPatient });
        const startedAt = performance.now();
        const result = await association.store(instance);
        if (result.kind === 'status' && result.status === 0) {
          recorder.ok(operation, startedAt);
          acknowledged.push(instance);
        } else {
          recorder.error(
            operation,
            result.kind === 'status' ? `status 0x${result.status.toString(16)}` : result.kind,
          );
          if (result.kind !== 'status') return;
        }
      }
      await association.close();
    };

    const reader = async (client: number) => {
      for (let round = client; performance.now() < deadline; round++) {
        const node = nodes[round % nodes.length]!;
        const target = seeded[round % seeded.length]!;
        const startedAt = performance.now();
        switch (round % 4) {
          case 0: {
            const answer = await http(node.httpPort, `/dicom-web/studies?PatientID=${seedPatient}`, {
              headers: { accept: 'application/dicom+json' },
            });
            const count =
              answer.status === 200 ? (JSON.parse(answer.body.toString()) as unknown[]).length : 0;
            if (count === 8) recorder.ok('QIDO studies', startedAt);
            else recorder.error('QIDO studies', `HTTP ${answer.status}, ${count} studies`);
            break;
          }
          case 1: {
            const answer = await http(
              node.httpPort,
              `/dicom-web/studies/${target.ref.studyInstanceUID}/instances`,
              {
                headers: { accept: 'application/dicom+json' },
              },
            );
            const count =
              answer.status === 200 ? (JSON.parse(answer.body.toString()) as unknown[]).length : 0;
            if (count === 5) recorder.ok('QIDO instances', startedAt);
            else recorder.error('QIDO instances', `HTTP ${answer.status}, ${count} instances`);
            break;
          }
          case 2: {
            const { ref } = target;
            const answer = await http(
              node.httpPort,
              `/dicom-web/studies/${ref.studyInstanceUID}/series/${ref.seriesInstanceUID}/metadata`,
              { headers: { accept: 'application/dicom+json' } },
            );
            if (answer.status === 200) recorder.ok('WADO metadata', startedAt);
            else recorder.error('WADO metadata', `HTTP ${answer.status}`);
            break;
          }
          default: {
            // Half the retrieves read an instance just acknowledged, often through the other
            // process: an acknowledgement means it is durable and visible everywhere.
            const fresh = round % 8 === 3 && acknowledged.length > 0;
            const instance = fresh
              ? (acknowledged[acknowledged.length - 1 - (round % 16)] ?? target)
              : target;
            const operation = fresh ? 'WADO retrieve (new)' : 'WADO retrieve';
            const answer = await retrieve(node.httpPort, instance.ref);
            if (!Buffer.isBuffer(answer)) recorder.error(operation, `HTTP ${answer.status}`);
            else if (datasetSha256(answer) !== instance.sha256) recorder.error(operation, 'data set differs');
            else recorder.ok(operation, startedAt);
          }
        }
      }
    };

    const startedAt = performance.now();
    await Promise.all([
      ...Array.from({ length: associations }, (_, worker) => storer(worker)),
      ...Array.from({ length: httpClients }, (_, client) => reader(client)),
    ]);
    const elapsed = (performance.now() - startedAt) / 1000;

    const rows = recorder.summary(elapsed);
    const title = `Load, ${mode} (${nodes.length} process${nodes.length > 1 ? 'es' : ''}): ${associations} associations + ${httpClients} HTTP clients, ${elapsed.toFixed(1)} s, load average ${loadavg()[0]!.toFixed(2)}`;
    console.log(formatTable(title, rows));
    writeFileSync(
      join(ensureResultsDir(), `load-${mode}.json`),
      `${JSON.stringify(
        {
          mode,
          processes: nodes.length,
          associations,
          httpClients,
          seconds: Math.round(elapsed * 10) / 10,
          date: new Date().toISOString(),
          loadAverage: loadavg(),
          acknowledged: acknowledged.length,
          rows,
        },
        null,
        2,
      )}\n`,
    );

    expect(recorder.errors().slice(0, 10)).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(0);
    // Nothing lost: every acknowledged instance, through every process in turn, byte-for-byte,
    // and the index holds exactly those.
    const ports = nodes.map((node) => node.httpPort);
    expect(await verifyRetrievable(ports, [...acknowledged, ...seeded])).toEqual([]);
    const indexed = await indexedInstances(ports[0]!, loadPatient);
    expect(indexed.map((row) => row.sop).sort()).toEqual(
      acknowledged.map((i) => i.ref.sopInstanceUID).sort(),
    );
  });
});
