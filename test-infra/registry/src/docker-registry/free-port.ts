import { createServer } from 'node:net';

/** A port that was free a moment ago: bind port 0 on loopback, read it, let it go. Callers retry on a clash. */
export async function findFreePort(host: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('a TCP server without a port');
  return address.port;
}
