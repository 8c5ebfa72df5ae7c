import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auth } from './helpers.js';
import { ensureBuilt, freePort, spawnArchive } from './processHelpers.js';

// The optional HL7 v2 listener as an administrator turns it on: `pacskit-archive --hl7-port`.
// An ORM^O01 new order over MLLP is acknowledged (AA) and the order is in the workflow API.
describe('pacskit-archive --hl7-port', () => {
  let child: ChildProcess;
  let dataDir: string;
  let httpPort: number;
  let hl7Port: number;

  beforeAll(async () => {
    ensureBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'pacskit-hl7-cli-'));
    httpPort = await freePort();
    hl7Port = await freePort();
    child = await spawnArchive(dataDir, httpPort, { args: ['--hl7-port', String(hl7Port)] });
  });
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  function sendMllp(message: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(hl7Port, '127.0.0.1');
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk.toString('latin1');
        // MLLP frame: <VT> message <FS><CR> (HL7 v2 Appendix C).
        if (received.endsWith('\x1c\r')) {
          socket.end();
          resolve(received.slice(1, -2));
        }
      });
      socket.on('error', reject);
      socket.write(`\x0b${message}\x1c\r`, 'latin1');
    });
  }

  it('acknowledges an ORM^O01 new order and creates the order', async () => {
    const segments = [
      'MSH|^~\\&|RIS|HOSP|PACSKIT|HOSP|20260115090000||ORM^O01|MSG-CLI-1|P|2.5',
      'PID|1||PID-CLI-7^^^HOSP||Doe^Jane||19800101|F',
      'PV1|1|O||||||123^House^Gregory',
      'ORC|NW|PLACER-CLI|ACC-CLI-1||||^^^^^S',
      'OBR|1|PLACER-CLI|ACC-CLI-1|CTCHEST^CT chest|||||||||persistent cough|||||||||||CT|||^^^^^S||||||||20260116083000',
    ];
    const ack = await sendMllp(segments.join('\r'));
    expect(ack).toContain('MSA|AA|MSG-CLI-1');
    const orders = await fetch(`http://127.0.0.1:${httpPort}/api/v1/orders`, {
      headers: { authorization: auth },
    });
    expect(orders.status).toBe(200);
    expect(JSON.stringify(await orders.json())).toContain('PID-CLI-7');
  });
});
