// A lean HTTP/1.1 keep-alive client for load: one socket, one request at a time, bodies
// already serialized. It costs a fraction of fetch's CPU, so on a 2-core machine the server,
// not the load generator, is what gets measured.
import { connect } from 'node:net';

export async function openConnection(baseUrl) {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect({ host: hostname, port: Number(port), noDelay: true });
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let buffer = Buffer.alloc(0);
  let waiting;
  socket.on('data', (chunk) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    if (waiting) tryComplete();
  });
  socket.on('error', (err) => waiting?.reject(err));
  socket.on('close', () => waiting?.reject(new Error('connection closed')));

  function tryComplete() {
    const end = buffer.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = buffer.subarray(0, end).toString('latin1');
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (buffer.length < end + 4 + length) return;
    const status = Number(head.slice(9, 12));
    const body = buffer.subarray(end + 4, end + 4 + length);
    buffer = buffer.subarray(end + 4 + length);
    const { resolve } = waiting;
    waiting = undefined;
    resolve({ status, head, body });
  }

  return {
    /** Sends one request and resolves with {status, head, body}. */
    request(method, path, body, contentType = 'application/json') {
      const payload = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body);
      const head = `${method} ${path} HTTP/1.1\r\nhost: ${hostname}:${port}\r\n${body === undefined ? '' : `content-type: ${contentType}\r\ncontent-length: ${payload.length}\r\n`}\r\n`;
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
        socket.write(payload.length ? Buffer.concat([Buffer.from(head, 'latin1'), payload]) : head);
      });
    },
    close() {
      socket.destroy();
    },
  };
}
