import { createServer } from 'node:net';

/**
 * A TCP port free on 127.0.0.1 right now, for tests that start a listener of their own (archive,
 * DCMTK, Orthanc): the OS picks it for an ephemeral listener that is closed at once.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('the ephemeral listener has no port');
  return address.port;
}
