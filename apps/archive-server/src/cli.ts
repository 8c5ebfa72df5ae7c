#!/usr/bin/env node
import './threadPool.js';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type ArchiveConfig, defaultConfig } from './config.js';
import type { DuplicatePolicy } from './services/IngestService.js';

const help = `pacskit-archive — the PacsKit reference archive (DICOMweb; DIMSE on --dicom-port)

Usage: pacskit-archive [options]
       pacskit-archive migrate --from <data-dir> --database postgres://… --blob-store s3://…
                        copy an embedded archive into the scale-out one, verifying every instance
                        (pacskit-archive migrate --help)

Options (each also an environment variable):
  --host <addr>                 PACSKIT_HOST              listen address (default 127.0.0.1)
  --http-port <port>            PACSKIT_HTTP_PORT         HTTP port (default 8080)
  --dicom-port <port>           PACSKIT_DICOM_PORT        DIMSE port (default 11112)
  --aet <title>                 PACSKIT_AET               our AE title (default PACSKIT)
  --data-dir <dir>              PACSKIT_DATA_DIR          index, blobs and staging (default ./data)
  --log-level <level>           PACSKIT_LOG_LEVEL         fatal|error|warn|info|debug|trace|silent (default info)
  --duplicate-policy <policy>   PACSKIT_DUPLICATE_POLICY  keep-first|overwrite|reject (default keep-first)
  --cors-origin <origins>       PACSKIT_CORS_ORIGIN       comma-separated origins, or * (default: CORS off)
  --ae-table <file.json>        PACSKIT_AE_TABLE          remote AEs: {"STORESCP": {"host": "127.0.0.1", "port": 11113}}
  --unknown-ae <policy>         PACSKIT_UNKNOWN_AE        accept|reject associations from AEs not in the table (default accept)
  --max-associations <n>        PACSKIT_MAX_ASSOCIATIONS  concurrent DIMSE associations (default 64)
  --dicom-tls-cert <file>       PACSKIT_DICOM_TLS_CERT    DICOM TLS certificate (PEM); with --dicom-tls-key
  --dicom-tls-key <file>        PACSKIT_DICOM_TLS_KEY     DICOM TLS private key (PEM)
  --dicom-tls-ca <file>         PACSKIT_DICOM_TLS_CA      CA for mutual authentication (PEM)
  --audit-retention-days <n>    PACSKIT_AUDIT_RETENTION_DAYS  drop audit events older than n days (default: keep)
  --database <url>              PACSKIT_DATABASE          postgres://… index in PostgreSQL (default: SQLite in the data dir)
  --blob-store <url>            PACSKIT_BLOB_STORE        s3://bucket?endpoint=…&region=…&forcePathStyle=true (default: files)
  --oidc-issuers <file.json>    PACSKIT_OIDC_ISSUERS      accept tokens of these OpenID Connect issuers:
                                [{"issuer","audience","jwksUri","roleMap":{"their-role":"RADIOLOGIST"},…}]
  --hl7-port <port>             PACSKIT_HL7_PORT          HL7 v2 MLLP listener: ORM^O01 creates/cancels orders (default off)
  --hl7-oru-endpoint <h:port>   PACSKIT_HL7_ORU_ENDPOINT  send ORU^R01 there when a report is final (default off)
  --demo                        PACSKIT_DEMO=1            seed sample studies, workflow and demo users; serve the portal
  -h, --help                    this help
Admin account: user "admin", password from PACSKIT_ADMIN_PASSWORD at first start, or generated on
first start and printed once. JWT signing key: PACSKIT_JWT_SECRET (base64, >= 32 bytes) or generated
once under the data dir.
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

export type CliConfig = ArchiveConfig & { demo: boolean };

export function configFromArgs(argv: string[], env: NodeJS.ProcessEnv): CliConfig | 'help' {
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
      'ae-table': { type: 'string' },
      'unknown-ae': { type: 'string' },
      'max-associations': { type: 'string' },
      'dicom-tls-cert': { type: 'string' },
      'dicom-tls-key': { type: 'string' },
      'dicom-tls-ca': { type: 'string' },
      'audit-retention-days': { type: 'string' },
      database: { type: 'string' },
      'oidc-issuers': { type: 'string' },
      'hl7-port': { type: 'string' },
      'hl7-oru-endpoint': { type: 'string' },
      'blob-store': { type: 'string' },
      demo: { type: 'boolean' },
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
  const unknownCallingAE = pick('unknown-ae', 'PACSKIT_UNKNOWN_AE') ?? defaultConfig.unknownCallingAE;
  if (unknownCallingAE !== 'accept' && unknownCallingAE !== 'reject') fail('invalid --unknown-ae');
  const maxAssociationsText = pick('max-associations', 'PACSKIT_MAX_ASSOCIATIONS');
  const maxAssociations =
    maxAssociationsText === undefined ? defaultConfig.maxAssociations : Number(maxAssociationsText);
  if (!Number.isInteger(maxAssociations) || maxAssociations < 1)
    fail('--max-associations must be a positive integer');
  const retentionText = pick('audit-retention-days', 'PACSKIT_AUDIT_RETENTION_DAYS');
  const auditRetentionDays = retentionText === undefined ? undefined : Number(retentionText);
  if (auditRetentionDays !== undefined && !(auditRetentionDays > 0))
    fail('--audit-retention-days must be positive');
  const tlsCert = pick('dicom-tls-cert', 'PACSKIT_DICOM_TLS_CERT');
  const tlsKey = pick('dicom-tls-key', 'PACSKIT_DICOM_TLS_KEY');
  const tlsCa = pick('dicom-tls-ca', 'PACSKIT_DICOM_TLS_CA');
  if ((tlsCert === undefined) !== (tlsKey === undefined))
    fail('--dicom-tls-cert and --dicom-tls-key go together');
  const aeTablePath = pick('ae-table', 'PACSKIT_AE_TABLE');
  const jwtSecret = env.PACSKIT_JWT_SECRET;
  const oidcFile = pick('oidc-issuers', 'PACSKIT_OIDC_ISSUERS');
  let oidcIssuers: unknown;
  if (oidcFile !== undefined) {
    try {
      oidcIssuers = JSON.parse(readFileSync(oidcFile, 'utf8'));
    } catch {
      fail('--oidc-issuers must name a readable JSON file');
    }
    const valid =
      Array.isArray(oidcIssuers) &&
      oidcIssuers.every(
        (entry) =>
          typeof entry?.issuer === 'string' &&
          typeof entry?.audience === 'string' &&
          typeof entry?.jwksUri === 'string' &&
          typeof entry?.roleMap === 'object',
      );
    if (!valid) fail('--oidc-issuers: each issuer needs issuer, audience, jwksUri and roleMap');
  }
  const hl7PortText = pick('hl7-port', 'PACSKIT_HL7_PORT');
  const hl7OruText = pick('hl7-oru-endpoint', 'PACSKIT_HL7_ORU_ENDPOINT');
  const hl7Oru = hl7OruText?.match(/^(.+):(\d+)$/);
  if (hl7OruText !== undefined && !hl7Oru) fail('--hl7-oru-endpoint must be host:port');
  const database = pick('database', 'PACSKIT_DATABASE');
  const blobStore = pick('blob-store', 'PACSKIT_BLOB_STORE');
  return {
    ...(database === undefined ? {} : { database }),
    ...(oidcIssuers === undefined ? {} : { oidcIssuers: oidcIssuers as ArchiveConfig['oidcIssuers'] }),
    ...(hl7PortText === undefined ? {} : { hl7Port: port('--hl7-port', hl7PortText) }),
    ...(hl7Oru ? { hl7OruEndpoint: { host: hl7Oru[1]!, port: port('--hl7-oru-endpoint', hl7Oru[2]!) } } : {}),
    ...(blobStore === undefined ? {} : { blobStore }),
    demo: values.demo === true || env.PACSKIT_DEMO === '1',
    unknownCallingAE,
    maxAssociations,
    ...(auditRetentionDays === undefined ? {} : { auditRetentionDays }),
    ...(aeTablePath === undefined ? {} : { aeTablePath }),
    ...(jwtSecret ? { jwtSecret } : {}),
    ...(tlsCert !== undefined && tlsKey !== undefined
      ? {
          dicomTls: {
            cert: readFileSync(tlsCert),
            key: readFileSync(tlsKey),
            ...(tlsCa === undefined ? {} : { ca: readFileSync(tlsCa) }),
          },
        }
      : {}),
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
  if (process.argv[2] === 'migrate') {
    const { runMigrate } = await import('./migrate/cli.js');
    process.exitCode = await runMigrate(process.argv.slice(3), process.env);
    return;
  }
  let config: CliConfig | 'help';
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
  let demo: Awaited<ReturnType<typeof import('./demo/enableDemo.js').enableDemo>> | undefined;
  let demoBanner: typeof import('./demo/enableDemo.js').demoBanner | undefined;
  if (config.demo) {
    console.log(`Preparing the demo in ${config.dataDir} …`);
    const demoModule = await import('./demo/enableDemo.js');
    demoBanner = demoModule.demoBanner;
    demo = await demoModule.enableDemo(archive, {
      dataDir: config.dataDir,
      access: archive.access,
      workflow: archive.workflow,
      authenticate: archive.authenticate,
      ...(process.env.PACSKIT_DEMO_PASSWORD ? { demoPassword: process.env.PACSKIT_DEMO_PASSWORD } : {}),
      ...(process.env.PACSKIT_ORTHANC_URL ? { orthancUrl: process.env.PACSKIT_ORTHANC_URL } : {}),
    });
  }
  const address = await archive.app.listen({ host: config.host, port: config.httpPort });
  await archive.dimse.listen();
  const hl7Server =
    config.hl7Port === undefined ? undefined : await archive.hl7?.listen(config.hl7Port, config.host);
  console.log(
    `PacsKit archive listening on ${address} (DICOMweb at ${address}/dicom-web, DIMSE ${config.aet}@${config.host}:${config.dicomPort}, data in ${config.dataDir})`,
  );
  if (demo && demoBanner) {
    console.log(
      demoBanner({
        url: address,
        demo,
        dataDir: config.dataDir,
        ...(archive.generatedAdminPassword ? { adminPassword: archive.generatedAdminPassword } : {}),
      }),
    );
  } else if (archive.generatedAdminPassword) {
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
    hl7Server?.close();
    archive
      .close()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
