import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../testing/freePort.js';

const bin = '/usr/lib/postgresql/15/bin';

export interface ThrowawayPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`. */
  url: string;
  /** Creates a fresh database and returns its URL. */
  createDatabase(name: string): string;
  /** Kills the server (immediate shutdown, as a crash) and keeps its data. */
  halt(): void;
  /** Starts it again on the same port and data. */
  resume(): void;
  stop(): void;
}

/**
 * A throwaway PostgreSQL 15 cluster (FACTS.md): initdb in a temp dir owned by `postgres`, trust
 * auth, listening on 127.0.0.1 only. `stop` shuts it down immediately and removes the directory;
 * call it from afterAll (it is also safe to call twice).
 */
export function startPostgres(port: number): ThrowawayPostgres {
  const dir = mkdtempSync(join(tmpdir(), 'pacskit-pg-'));
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  chownSync(dir, uid, gid);
  const asPostgres = (command: string): void => {
    execFileSync('su', ['postgres', '-c', command], { stdio: 'ignore' });
  };
  let running = false;
  const stop = (): void => {
    if (running) {
      try {
        asPostgres(`${bin}/pg_ctl -D ${dir}/data -m immediate -w stop`);
      } catch {
        // Already gone.
      }
      running = false;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const start = (): void => {
    if (running) return;
    asPostgres(
      `${bin}/pg_ctl -D ${dir}/data -w -l ${dir}/log -o "-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c max_connections=60" start`,
    );
    running = true;
  };
  try {
    asPostgres(`${bin}/initdb -D ${dir}/data -U postgres -A trust --no-sync`);
    // fsync stays on: the tests exercise real commits. Few connections: two cores, short suites.
    start();
  } catch (error) {
    stop();
    throw error;
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    createDatabase(name: string): string {
      execFileSync(
        `${bin}/psql`,
        ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-qc', `CREATE DATABASE ${name}`],
        {
          stdio: 'ignore',
        },
      );
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    halt(): void {
      asPostgres(`${bin}/pg_ctl -D ${dir}/data -m immediate -w stop`);
      running = false;
    },
    resume: start,
    stop,
  };
}

export async function startPostgresOnFreePort(): Promise<ThrowawayPostgres> {
  return startPostgres(await freePort());
}
