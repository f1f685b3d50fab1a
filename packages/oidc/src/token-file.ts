import { open } from 'node:fs/promises';
import { utf8Decode } from '@sigil/encoding';
import { MAX_TOKEN_LENGTH } from './decode-token.js';
import { OidcError } from './errors.js';
import type { TokenSource } from './token-source.js';

/** A file holding the token (a trailing newline is fine), read when the token is asked for. */
export function fileTokenSource(path: string, description = `the file ${path}`): TokenSource {
  return {
    description,
    async getToken() {
      const text = await readBounded(path, description);
      const token = text.trim();
      if (token === '') throw unreadable(description, path, 'it is empty');
      return token;
    },
  };
}

async function readBounded(path: string, description: string): Promise<string> {
  if (typeof path !== 'string' || path === '') throw unreadable(description, String(path), 'no path was given');
  let bytes: Uint8Array;
  try {
    const file = await open(path, 'r');
    try {
      // One byte more than a token may have tells a long file from one at the limit.
      const buffer = new Uint8Array(MAX_TOKEN_LENGTH + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await file.read(buffer, length, buffer.length - length, null);
        if (bytesRead === 0 || (length += bytesRead) === buffer.length) break;
      }
      if (length > MAX_TOKEN_LENGTH) throw unreadable(description, path, `it holds more than ${MAX_TOKEN_LENGTH} bytes, too many for a token`);
      bytes = buffer.subarray(0, length);
    } finally {
      await file.close();
    }
  } catch (err) {
    if (err instanceof OidcError) throw err;
    throw unreadable(description, path, systemReason(err));
  }
  try {
    return utf8Decode(bytes, description);
  } catch {
    throw unreadable(description, path, 'it is not UTF-8 text');
  }
}

function systemReason(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'it does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return typeof code === 'string' ? code : 'it cannot be read';
  }
}

function unreadable(description: string, path: string, reason: string): OidcError {
  return new OidcError('OIDC_TOKEN_FILE_UNREADABLE', `identity token: cannot read ${description}: ${reason}`, {
    details: { path, reason },
    hint: 'Give the path of a file that holds only the token (for example --identity-token @token.txt).',
  });
}
