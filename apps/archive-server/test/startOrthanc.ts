import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForExit } from './processHelpers.js';

/** A real Orthanc 1.10 + DICOMweb plugin (FACTS.md), temp dirs, free ports; run inside loopback.sh. */
export interface Orthanc {
  baseUrl: string;
  stop(): Promise<void>;
}

export async function startOrthanc(): Promise<Orthanc> {
  const dir = mkdtempSync(join(tmpdir(), 'pacskit-orthanc-'));
  const httpPort = await freePort();
  const dicomPort = await freePort();
  const config = {
    Name: 'ORTHANC',
    StorageDirectory: join(dir, 'storage'),
    IndexDirectory: join(dir, 'index'),
    HttpPort: httpPort,
    DicomPort: dicomPort,
    RemoteAccessAllowed: true,
    AuthenticationEnabled: false,
    Plugins: ['/usr/share/orthanc/plugins/libOrthancDicomWeb.so'],
    DicomWeb: { Enable: true, Root: '/dicom-web/', StudiesMetadata: 'Full', SeriesMetadata: 'Full' },
    DicomAlwaysAllowEcho: true,
    DicomAlwaysAllowStore: true,
    DicomCheckCalledAet: false,
    StorageCompression: false,
  };
  const configPath = join(dir, 'orthanc.json');
  writeFileSync(configPath, JSON.stringify(config));
  const child: ChildProcess = spawn('/usr/sbin/Orthanc', [configPath], {
    env: { ...process.env, TCP_NODELAY: '1' },
    stdio: 'ignore',
  });
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Orthanc exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${baseUrl}/system`)).ok) break;
    } catch {
      // starting
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('Orthanc did not start');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    baseUrl,
    async stop() {
      child.kill('SIGKILL');
      await waitForExit(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
