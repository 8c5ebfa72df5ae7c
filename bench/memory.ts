/**
 * Memory bench (issue 9): peak resident memory of each server while it ingests one 200 MB instance
 * (512×512×400 frames, 16-bit), by STOW-RS and by C-STORE (storescu), Orthanc 1.10 and PacsKit side
 * by side, in the embedded mode (default) or with the index in PostgreSQL (`PACSKIT_BENCH_MODE=postgres`).
 * The peak is Linux's VmHWM, reset (`/proc/PID/clear_refs` ← 5) right before each ingest, so it is
 * the peak of that ingest alone; idle is VmRSS just before. Reports, never asserts.
 *
 *   cd bench && bash ../scripts/loopback.sh node --import tsx memory.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateInstance, newUid } from '@pacskit/archive-server/testing';
import {
  benchMode,
  memoryOf,
  pacskitArgsFor,
  startBenchPostgres,
  startOrthancIn,
  startPacsKitProcess,
  stowFiles,
} from './servers.ts';

const mode = benchMode();

interface Server {
  name: string;
  pid: number;
  dicomWebUrl: string;
  headers: Record<string, string>;
  aeTitle: string;
  dicomPort: number;
}

function bigInstance(): Buffer {
  return generateInstance({
    studyInstanceUID: newUid(),
    seriesInstanceUID: newUid(),
    sopInstanceUID: newUid(),
    patientID: 'BIG',
    rows: 512,
    columns: 512,
    frames: 400,
  });
}

/** Runs `ingest` and gives the server's idle RSS before it and its peak RSS during it, in MB. */
async function peakDuring(pid: number, ingest: () => Promise<void>): Promise<{ idle: number; peak: number }> {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
  const idle = memoryOf(pid).rssMb;
  await ingest();
  return { idle, peak: memoryOf(pid).peakMb };
}

function storescu(server: Server, path: string): void {
  execFileSync('storescu', ['-aec', server.aeTitle, '127.0.0.1', String(server.dicomPort), path], {
    env: { ...process.env, TCP_NODELAY: '1' },
    stdio: 'ignore',
  });
}

async function main(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'pacskit-memory-bench-'));
  const postgres = mode === 'postgres' ? await startBenchPostgres() : undefined;
  const orthanc = await startOrthancIn(mode, postgres);
  const pacskit = await startPacsKitProcess(pacskitArgsFor(mode, postgres));
  try {
    const servers: Server[] = [
      {
        name: 'Orthanc 1.10',
        pid: orthanc.pid() as number,
        dicomWebUrl: orthanc.dicomWebUrl,
        headers: {},
        aeTitle: orthanc.aet,
        dicomPort: orthanc.dicomPort,
      },
      { name: 'PacsKit', ...pacskit },
    ];
    console.log(`Mode: ${mode}. One 200 MB instance per ingest; MB of resident memory.\n`);
    console.log('| server | ingest | idle RSS | peak RSS | peak − idle |');
    console.log('| --- | --- | ---: | ---: | ---: |');
    for (const server of servers) {
      const viaStow = await peakDuring(server.pid, () => stowFiles(server, [bigInstance()]));
      const path = join(directory, 'big.dcm');
      writeFileSync(path, bigInstance());
      const viaStore = await peakDuring(server.pid, async () => storescu(server, path));
      for (const [how, m] of [
        ['STOW-RS', viaStow],
        ['C-STORE', viaStore],
      ] as const) {
        console.log(
          `| ${server.name} | ${how} | ${m.idle.toFixed(0)} | ${m.peak.toFixed(0)} | ${(m.peak - m.idle).toFixed(0)} |`,
        );
      }
    }
  } finally {
    await pacskit.stop();
    await orthanc.stop();
    postgres?.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

await main();
