import type { ServerResponse } from 'node:http';
import { expect } from 'vitest';
import { OciError, type OciErrorCode } from '../src/index.js';

/** Awaits a promise (or runs a function) that must fail with this OciError code. */
export async function expectOciError(action: Promise<unknown> | (() => unknown), code: OciErrorCode): Promise<OciError> {
  let thrown: unknown;
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(OciError);
  expect((thrown as OciError).code).toBe(code);
  return thrown as OciError;
}

/** `total` bytes in 64 KiB chunks without a Content-Length, waiting for the socket to drain: only the reader's limit stops it. */
export function floodResponse(res: ServerResponse, contentType: string, total: number): void {
  res.writeHead(200, { 'content-type': contentType });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  const pump = () => {
    while (sent < total && !res.destroyed) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
}
