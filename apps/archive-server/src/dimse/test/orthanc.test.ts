import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type CorpusInstance,
  type TestServer,
  freePort,
  generateCorpus,
  run,
  startTestServer,
  temporaryDirectory,
} from './harness.js';

/** Orthanc 1.10 as a peer: C-MOVE destination, and SCU (C-ECHO, C-FIND, C-MOVE) against PacsKit. */
describe('interoperability with Orthanc', { timeout: 60_000 }, () => {
  let server: TestServer;
  let orthanc: ChildProcess;
  let orthancHttp: string;
  let corpus: CorpusInstance[];
  const directories: { path: string; remove(): Promise<void> }[] = [];

  const orthancApi = async (path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${orthancHttp}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`Orthanc ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };

  beforeAll(async () => {
    const files = await temporaryDirectory();
    const storage = await temporaryDirectory();
    directories.push(files, storage);
    const orthancDicomPort = await freePort();
    const orthancHttpPort = await freePort();
    server = await startTestServer({
      aeTable: [{ aeTitle: 'ORTHANC', host: '127.0.0.1', port: orthancDicomPort }],
    });
    const config = {
      Name: 'PEER',
      StorageDirectory: join(storage.path, 'storage'),
      IndexDirectory: join(storage.path, 'index'),
      HttpPort: orthancHttpPort,
      DicomPort: orthancDicomPort,
      DicomAet: 'ORTHANC',
      RemoteAccessAllowed: false,
      AuthenticationEnabled: false,
      DicomAlwaysAllowEcho: true,
      DicomAlwaysAllowStore: true,
      DicomAlwaysAllowFind: true,
      DicomAlwaysAllowMove: true,
      DicomCheckCalledAet: false,
      DicomModalities: { pacskit: ['PACSKIT', '127.0.0.1', server.port] },
      Plugins: [],
    };
    await writeFile(join(storage.path, 'orthanc.json'), JSON.stringify(config));
    // Orthanc binds every interface: this file runs in the loopback-only namespace (loopback.sh).
    orthanc = spawn('/usr/sbin/Orthanc', [join(storage.path, 'orthanc.json')], {
      env: { ...process.env, TCP_NODELAY: '1' },
      stdio: 'ignore',
    });
    orthancHttp = `http://127.0.0.1:${orthancHttpPort}`;
    for (let attempt = 0; attempt < 100; attempt += 1) {
      if ((await run('echoscu', ['-aec', 'ORTHANC', '127.0.0.1', String(orthancDicomPort)])).code === 0)
        break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    corpus = await generateCorpus(files.path, { patients: 2, studies: 2, series: 1, instances: 3 });
    const stored = await run('storescu', [
      '-aec',
      server.aeTitle,
      '127.0.0.1',
      String(server.port),
      ...corpus.map((i) => i.path),
    ]);
    expect(stored.code, stored.stderr).toBe(0);
  }, 60_000);

  afterAll(async () => {
    orthanc?.kill();
    if (orthanc) await new Promise((resolve) => orthanc.once('exit', resolve));
    await server.close();
    for (const directory of directories) await directory.remove();
  });

  test('movescu: PacsKit moves a study to Orthanc (our SCU, raw stored bytes)', async () => {
    const study = corpus[0]!.studyInstanceUID;
    const result = await run('movescu', [
      '-S',
      '-aec',
      server.aeTitle,
      '-aem',
      'ORTHANC',
      '-k',
      'QueryRetrieveLevel=STUDY',
      '-k',
      `StudyInstanceUID=${study}`,
      '127.0.0.1',
      String(server.port),
    ]);
    expect(result.code, result.stderr).toBe(0);
    const instances = (await orthancApi('/instances')) as string[];
    expect(instances).toHaveLength(corpus.filter((instance) => instance.studyInstanceUID === study).length);
  });

  test('Orthanc as SCU: C-ECHO and a study-level C-FIND against PacsKit', async () => {
    expect(await orthancApi('/modalities/pacskit/echo', {})).toEqual({});
    const query = (await orthancApi('/modalities/pacskit/query', {
      Level: 'Study',
      Query: { PatientID: 'PID2', StudyInstanceUID: '', PatientName: '' },
    })) as { ID: string };
    const answers = (await orthancApi(`/queries/${query.ID}/answers?expand`)) as Record<
      string,
      { Value: string }
    >[];
    expect(answers).toHaveLength(2);
    for (const answer of answers) expect(answer['0010,0020']?.Value).toBe('PID2');
  });

  test('Orthanc as SCU: C-MOVE from PacsKit into Orthanc', async () => {
    const study = corpus.find((instance) => instance.patientID === 'PID2')!.studyInstanceUID;
    await orthancApi('/modalities/pacskit/move', {
      Level: 'Study',
      Resources: [{ StudyInstanceUID: study }],
      TargetAet: 'ORTHANC',
      Synchronous: true,
    });
    const studies = (await orthancApi('/tools/find', {
      Level: 'Study',
      Query: { StudyInstanceUID: study },
    })) as string[];
    expect(studies).toHaveLength(1);
  });
});
