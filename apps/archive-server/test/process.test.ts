import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInstance, newUid, stowBody } from '../src/testing/generateInstance.js';
import { auth, multipartParts } from './helpers.js';
import { ensureBuilt, freePort, spawnArchive, waitForExit } from './processHelpers.js';

/**
 * Tests against the built `pacskit-archive` binary over real sockets: kill -9 durability, a
 * 200 MB streamed instance, and a request whose Content-Length lies.
 */
const started: ChildProcess[] = [];
const dataDirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pacskit-process-'));
  dataDirs.push(dir);
  return dir;
}

async function start(dataDir: string, port: number): Promise<ChildProcess> {
  const child = await spawnArchive(dataDir, port);
  started.push(child);
  return child;
}

async function stow(port: number, file: Buffer): Promise<number> {
  const { body, contentType } = stowBody([file]);
  const response = await fetch(`http://127.0.0.1:${port}/dicom-web/studies`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': contentType },
    body: new Uint8Array(body),
  });
  await response.arrayBuffer();
  return response.status;
}

function countFiles(dir: string): number {
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) if (entry.isFile()) count++;
  return count;
}

beforeAll(() => ensureBuilt());
afterAll(async () => {
  for (const child of started) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await waitForExit(child);
  }
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

describe('kill -9', () => {
  it('every acknowledged instance survives a kill -9 byte-for-byte, and no orphan remains', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const child = await start(dataDir, port);
    const acknowledged = new Map<string, { study: string; series: string; bytes: Buffer }>();
    const study = newUid();
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const series = newUid();
        const sop = newUid();
        const bytes = generateInstance({
          studyInstanceUID: study,
          seriesInstanceUID: series,
          sopInstanceUID: sop,
          rows: 128,
          columns: 128,
        });
        try {
          if ((await stow(port, bytes)) === 200) acknowledged.set(sop, { study, series, bytes });
        } catch {
          return; // the server died mid-request: that instance was never acknowledged
        }
      }
    };
    const workers = [worker(), worker(), worker(), worker()];
    while (acknowledged.size < 40) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    await waitForExit(child);

    // A new port: fetch's connection pool still holds sockets to the killed process.
    const restartPort = await freePort();
    await start(dataDir, restartPort);
    for (const [sop, { study: s, series, bytes }] of acknowledged) {
      const response = await fetch(
        `http://127.0.0.1:${restartPort}/dicom-web/studies/${s}/series/${series}/instances/${sop}`,
        {
          headers: { authorization: auth },
        },
      );
      expect(response.status).toBe(200);
      const body = Buffer.from(await response.arrayBuffer());
      const [part] = multipartParts(body, response.headers.get('content-type') as string);
      expect(part?.body.equals(bytes)).toBe(true);
    }
    // Startup cleanup: no staging leftovers, one blob per indexed instance.
    const ready = (await (await fetch(`http://127.0.0.1:${restartPort}/readyz`)).json()) as {
      instances: number;
    };
    expect(ready.instances).toBeGreaterThanOrEqual(acknowledged.size);
    expect(countFiles(join(dataDir, 'blobs'))).toBe(ready.instances);
    expect(readdirSync(join(dataDir, 'tmp'))).toEqual([]);
  }, 60_000);
});

describe('streaming and lying lengths over a socket', () => {
  let port: number;
  let child: ChildProcess;
  beforeAll(async () => {
    port = await freePort();
    child = await start(tempDir(), port);
  });

  it('ingests a 200 MB instance streamed in chunks while the server stays under 150 MB of extra memory', async () => {
    const rows = 10_000;
    const columns = 10_000;
    const study = newUid();
    const series = newUid();
    const sop = newUid();
    // A tiny instance with the right header, then its 2-byte pixels are streamed instead of built.
    const header = generateInstance({
      studyInstanceUID: study,
      seriesInstanceUID: series,
      sopInstanceUID: sop,
      rows: 1,
      columns: 1,
    });
    const pixelTagAt = header.length - 2 - 12;
    const head = Buffer.from(header.subarray(0, pixelTagAt + 12));
    // Patch Rows/Columns and the Pixel Data length for 10,000 × 10,000 × 2 bytes.
    for (const [tag, value] of [
      ['00280010', rows],
      ['00280011', columns],
    ] as const) {
      const bytes = Buffer.alloc(4);
      bytes.writeUInt16LE(Number.parseInt(tag.slice(0, 4), 16), 0);
      bytes.writeUInt16LE(Number.parseInt(tag.slice(4), 16), 2);
      head.writeUInt16LE(value, head.indexOf(bytes, 132) + 8);
    }
    head.writeUInt32LE(rows * columns * 2, pixelTagAt + 8);
    const rssBefore = peakRss(child.pid as number);
    const boundary = 'big-boundary';
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/dicom-web/studies',
          headers: {
            authorization: auth,
            'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(1024 * 1024, 7);
      let remaining = rows * columns * 2;
      req.write(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`);
      req.write(head);
      const pump = () => {
        while (remaining > 0) {
          const piece = chunk.subarray(0, Math.min(chunk.length, remaining));
          remaining -= piece.length;
          if (!req.write(piece)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end(`\r\n--${boundary}--\r\n`);
      };
      pump();
    });
    expect(status).toBe(200);
    const growth = peakRss(child.pid as number) - rssBefore;
    expect(growth).toBeLessThan(150 * 1024 * 1024);
    const metadata = await fetch(`http://127.0.0.1:${port}/dicom-web/studies/${study}/metadata`, {
      headers: { authorization: auth },
    });
    const [instance] = (await metadata.json()) as Array<Record<string, { Value?: unknown[] }>>;
    expect(instance?.['00280010']?.Value).toEqual([rows]);
  }, 60_000);

  it('a Content-Length that lies (client sends less, then closes): nothing stored, server up', async () => {
    const before = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { instances: number };
    const file = generateInstance({
      studyInstanceUID: newUid(),
      seriesInstanceUID: newUid(),
      sopInstanceUID: newUid(),
    });
    const { body, contentType } = stowBody([file]);
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `POST /dicom-web/studies HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length + 5000}\r\n\r\n`,
        );
        socket.write(body.subarray(0, 700));
        setTimeout(() => socket.destroy(), 100);
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    await new Promise((r) => setTimeout(r, 200));
    const after = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { instances: number };
    expect(after.instances).toBe(before.instances);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });
});

/** Peak resident set size of a process (VmHWM), in bytes. */
function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb * 1024;
}
