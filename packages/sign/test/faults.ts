import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { passThrough, type Exchange, type Fault } from './fault-proxy.js';

// The ways a Fulcio, Rekor or TSA server can fail a client, as proxy faults.

const JSON_TYPE = { 'content-type': 'application/json' };

/** An error status with a Fulcio/Rekor-shaped JSON body. */
export function status(code: number, options: { retryAfter?: string; message?: string } = {}): Fault {
  return ({ reply }) =>
    reply(code, { ...JSON_TYPE, ...(options.retryAfter === undefined ? {} : { 'retry-after': options.retryAfter }) }, JSON.stringify({ code, message: options.message ?? `injected ${code}` }));
}

/** A 400 whose message repeats the identity token the client sent, as a careless or hostile server might. */
export const echoTokenIn400: Fault = ({ body, reply }) => {
  const token = String(JSON.parse(body.toString('utf8'))?.credentials?.oidcIdentityToken ?? '');
  reply(400, JSON_TYPE, JSON.stringify({ code: 400, message: `invalid identity token ${token} (audience)` }));
};

// The faults that answer "successfully" take the service's success status: 200 for Fulcio,
// 201 for Rekor's new entries.

/** A body cut off in the middle of a JSON value. */
export function garbageJson(ok = 200): Fault {
  return ({ reply }) => reply(ok, JSON_TYPE, '{"signedCertificateEmbeddedSct": {"chain": {"certificates": ["-----BEGIN');
}

/** Valid JSON of the wrong shape. */
export function jsonAnswer(value: unknown, ok = 200): Fault {
  return ({ reply }) => reply(ok, JSON_TYPE, JSON.stringify(value));
}

/** A login page, as a captive portal or a misrouted proxy answers. */
export function wrongContentType(ok = 200): Fault {
  return ({ reply }) => reply(ok, { 'content-type': 'text/html' }, '<html><body>Please sign in</body></html>');
}

/** A body that does not end (no Content-Length): the client must stop reading. */
export const endlessBody = (ok = 200): Fault => async ({ res }) => {
  res.writeHead(ok, JSON_TYPE);
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  res.write('{"padding": "');
  // Bounded all the same, so a client that never stops cannot fill this process.
  for (let sent = 0; sent < 256 * 1024 * 1024 && !res.destroyed; sent += chunk.length) {
    if (!res.write(chunk)) await drainedOrClosed(res);
  }
  res.end();
};

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.once('drain', done).once('close', done);
  });
}

/** An answer declaring a gigabyte body; nothing is sent after the headers. */
export const declaredHugeBody = (ok = 200): Fault => ({ res }) => {
  res.writeHead(ok, { ...JSON_TYPE, 'content-length': String(1024 ** 3) });
  res.flushHeaders();
};

/** Never answers (the connection stays open until the client gives up). */
export const hang: Fault = () => new Promise(() => undefined);

/** Headers and the start of the body, then nothing more. */
export const stallMidBody = (ok = 200): Fault => ({ res }) => {
  res.writeHead(ok, JSON_TYPE);
  res.write('{"signedCertificateEmbeddedSct": ');
  return new Promise(() => undefined);
};

/** Closes the connection without an answer. */
export const drop: Fault = ({ req }) => {
  req.socket.destroy();
};

/** The stack handles the request, then the connection is closed before its answer is sent. */
export const dropAfterForwarding: Fault = async ({ forward, req }) => {
  await forward();
  req.socket.destroy();
};

/** Answers as `then` does, after `ms`. */
export function slowly(ms: number, then: Fault = passThrough): Fault {
  return async (exchange) => {
    await delay(ms);
    await then(exchange);
  };
}

/** The stack's JSON answer, rewritten by `edit` (same status and content type). */
export function rewriteAnswer(edit: (answer: any, exchange: Exchange) => unknown): Fault {
  return async (exchange) => {
    const answer = await exchange.forward();
    const edited = edit(JSON.parse(answer.body.toString('utf8')), exchange);
    exchange.reply(answer.status, { 'content-type': answer.headers['content-type'] ?? 'application/json' }, JSON.stringify(edited));
  };
}

/** The request, rewritten by `edit` before it reaches the stack; the answer comes back as it is. */
export function rewriteRequest(edit: (request: any) => unknown): Fault {
  return async (exchange) => {
    const edited = Buffer.from(JSON.stringify(edit(JSON.parse(exchange.body.toString('utf8')))));
    const answer = await exchange.forward(edited);
    exchange.reply(answer.status, answer.headers, answer.body);
  };
}

/** Passes through, and hands the stack's JSON answer to `keep`. */
export function record(keep: (answer: any) => void): Fault {
  return async (exchange) => {
    const answer = await exchange.forward();
    keep(JSON.parse(answer.body.toString('utf8')));
    exchange.reply(answer.status, answer.headers, answer.body);
  };
}
