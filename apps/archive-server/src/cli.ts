#!/usr/bin/env node
import './threadPool.js';
import { parseArgs } from 'node:util';
import { type ArchiveConfig, defaultConfig } from './config.js';
import type { DuplicatePolicy } from './services/IngestService.js';

const help = `pacskit-archive — the PacsKit reference archive (DICOMweb; DIMSE on --dicom-port)

Usage: pacskit-archive [options]

Options (each also an environment variable):
  --host <addr>                 PACSKIT_HOST              listen address (default 127.0.0.1)
  --http-port <port>            PACSKIT_HTTP_PORT         HTTP port (default 8080)
  --dicom-port <port>           PACSKIT_DICOM_PORT        DIMSE port (default 11112)
  --aet <title>                 PACSKIT_AET               our AE title (default PACSKIT)
  --data-dir <dir>              PACSKIT_DATA_DIR          index, blobs and staging (default ./data)
  --log-level <level>           PACSKIT_LOG_LEVEL         fatal|error|warn|info|debug|trace|silent (default info)
  --duplicate-policy <policy>   PACSKIT_DUPLICATE_POLICY  keep-first|overwrite|reject (default keep-first)
  --cors-origin <origins>       PACSKIT_CORS_ORIGIN       comma-separated origins, or * (default: CORS off)
  -h, --help                    this help
Admin account: user "admin", password from PACSKIT_ADMIN_PASSWORD, or generated on first start
and printed once (its scrypt hash is kept in <data-dir>/admin-password.scrypt).
`;

function fail(message: string): never {
  console.error(`pacskit-archive: ${message}\n\n${help}`);
  process.exit(2);
}

function port(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) fail(`${name} must be a port number`);
  return n;
}

export function configFromArgs(argv: string[], env: NodeJS.ProcessEnv): ArchiveConfig | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      'http-port': { type: 'string' },
      'dicom-port': { type: 'string' },
      aet: { type: 'string' },
      'data-dir': { type: 'string' },
      'log-level': { type: 'string' },
      'duplicate-policy': { type: 'string' },
      'cors-origin': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const pick = (flag: keyof typeof values, variable: string): string | undefined =>
    (values[flag] as string | undefined) ?? env[variable];
  const logLevel = pick('log-level', 'PACSKIT_LOG_LEVEL') ?? defaultConfig.logLevel;
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel))
    fail('invalid --log-level');
  const policy = pick('duplicate-policy', 'PACSKIT_DUPLICATE_POLICY') ?? defaultConfig.duplicatePolicy;
  if (!['keep-first', 'overwrite', 'reject'].includes(policy)) fail('invalid --duplicate-policy');
  const aet = pick('aet', 'PACSKIT_AET') ?? defaultConfig.aet;
  if (!/^[\x20-\x5b\x5d-\x7e]{1,16}$/.test(aet) || aet.trim() === '')
    fail('--aet must be 1-16 characters (PS3.5 AE)');
  const cors = pick('cors-origin', 'PACSKIT_CORS_ORIGIN');
  const httpPort = pick('http-port', 'PACSKIT_HTTP_PORT');
  const dicomPort = pick('dicom-port', 'PACSKIT_DICOM_PORT');
  const adminPassword = env.PACSKIT_ADMIN_PASSWORD;
  return {
    dataDir: pick('data-dir', 'PACSKIT_DATA_DIR') ?? defaultConfig.dataDir,
    host: pick('host', 'PACSKIT_HOST') ?? defaultConfig.host,
    httpPort: httpPort === undefined ? defaultConfig.httpPort : port('--http-port', httpPort),
    dicomPort: dicomPort === undefined ? defaultConfig.dicomPort : port('--dicom-port', dicomPort),
    aet,
    logLevel: logLevel as ArchiveConfig['logLevel'],
    duplicatePolicy: policy as DuplicatePolicy,
    corsOrigins: cors
      ? cors
          .split(',')
          .map((o) => o.trim())
          .filter((o) => o !== '')
      : [],
    ...(adminPassword ? { adminPassword } : {}),
  };
}

async function main(): Promise<void> {
  let config: ArchiveConfig | 'help';
  try {
    config = configFromArgs(process.argv.slice(2), process.env);
  } catch (error) {
    fail((error as Error).message);
  }
  if (config === 'help') {
    console.log(help);
    return;
  }
  // Loaded only now so --help and flag errors answer at once.
  const { createArchive } = await import('./main.js');
  const archive = await createArchive(config);
  const address = await archive.app.listen({ host: config.host, port: config.httpPort });
  console.log(
    `PacsKit archive listening on ${address} (DICOMweb at ${address}/dicom-web, data in ${config.dataDir})`,
  );
  if (archive.generatedAdminPassword) {
    console.log(
      `Admin credentials (printed once): user "admin", password "${archive.generatedAdminPassword}"`,
    );
  } else {
    console.log(
      'Admin credentials: user "admin", password from PACSKIT_ADMIN_PASSWORD or set at first start',
    );
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    archive.app.log.info({ signal }, 'shutting down');
    archive
      .close()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
