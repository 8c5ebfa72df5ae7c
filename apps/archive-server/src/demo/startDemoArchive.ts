#!/usr/bin/env node
// The demo launcher (`node dist/demo/startDemoArchive.js`): a plain archive plus the sample data and
// the portal. Flags and PACSKIT_* variables as in cli.ts for the few the demo needs.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createArchive } from '../main.js';
import { demoBanner, type EnableDemoOptions, enableDemo } from './enableDemo.js';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    host: { type: 'string' },
    'http-port': { type: 'string' },
    'portal-dir': { type: 'string' },
  },
  strict: true,
});
const env = process.env;
const dataDir = resolve(values['data-dir'] ?? env.PACSKIT_DATA_DIR ?? './data');
const host = values.host ?? env.PACSKIT_HOST ?? '127.0.0.1';
const httpPort = Number(values['http-port'] ?? env.PACSKIT_HTTP_PORT ?? 8080);
const portalDistDir = values['portal-dir'] ?? env.PACSKIT_PORTAL_DIR;
const logLevel = (env.PACSKIT_LOG_LEVEL ?? 'warn') as 'warn';

const archive = await createArchive({
  dataDir,
  host,
  httpPort,
  logLevel,
  ...(env.PACSKIT_ADMIN_PASSWORD ? { adminPassword: env.PACSKIT_ADMIN_PASSWORD } : {}),
});
process.stdout.write(`Preparing the demo in ${dataDir} …\n`);
// The workflow API's services and the DICOMweb authentication hook, when the composition root
// exposes them (`archive.access`, `archive.workflow`, `archive.authenticate`).
const services = archive as unknown as Partial<
  Pick<EnableDemoOptions, 'access' | 'workflow' | 'authenticate'>
>;
const demo = await enableDemo(archive, {
  dataDir,
  ...(services.access && services.workflow ? { access: services.access, workflow: services.workflow } : {}),
  ...(services.authenticate ? { authenticate: services.authenticate } : {}),
  ...(env.PACSKIT_DEMO_PASSWORD ? { demoPassword: env.PACSKIT_DEMO_PASSWORD } : {}),
  ...(portalDistDir ? { portalDistDir } : {}),
  ...(env.PACSKIT_ORTHANC_URL ? { orthancUrl: env.PACSKIT_ORTHANC_URL } : {}),
});
const url = await archive.app.listen({ host, port: httpPort });
const adminPassword = archive.generatedAdminPassword;
process.stdout.write(`${demoBanner({ url, demo, dataDir, ...(adminPassword ? { adminPassword } : {}) })}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  archive
    .close()
    .then(() => process.exit(0))
    .catch(() => process.exit(1));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
