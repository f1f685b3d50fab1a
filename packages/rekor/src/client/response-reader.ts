import { decodeBase64, decodeHex } from '@sigil/encoding';
import { JsonCursor } from '@sigil/http-client';
import { RekorClientError } from './errors.js';

/** A cursor into a Rekor answer whose every failure is REKOR_CLIENT_RESPONSE_INVALID at a JSON path. */
export function rekorResponse(value: unknown, what: string): JsonCursor {
  return JsonCursor.root(value, (reason, path, cause) => responseInvalid(`Rekor ${what} ${path}: ${reason}`, { path }, cause));
}

export function responseInvalid(message: string, details: Record<string, unknown> = {}, cause?: unknown): RekorClientError {
  return new RekorClientError('REKOR_CLIENT_RESPONSE_INVALID', message, {
    cause,
    details,
    hint: 'The server did not answer as Rekor does; check the Rekor URL.',
  });
}

/** A 32-byte SHA-256 value in hex (root hashes, proof hashes, log IDs). */
export function readHash(cursor: JsonCursor): Uint8Array {
  return cursor.decode((text) => {
    const bytes = decodeHex(text, 'hash');
    if (bytes.length !== 32) throw new Error(`expected 32 bytes of hex, found ${bytes.length}`);
    return bytes;
  }, 64);
}

export function readBase64(cursor: JsonCursor, maxBytes: number): Uint8Array {
  return cursor.decode(
    (text) => {
      const bytes = decodeBase64(text, 'base64');
      if (bytes.length === 0) throw new Error('expected non-empty bytes, found none');
      return bytes;
    },
    Math.ceil(maxBytes / 3) * 4,
  );
}

/** An inclusion or consistency proof has at most one hash per tree level (int64 sizes: 63 levels). */
const MAX_PROOF_HASHES = 64;

/** A proof's hex hashes; Go servers write an empty list as null. */
export function readProofHashes(cursor: JsonCursor): Uint8Array[] {
  return cursor.value === null ? [] : cursor.items(0, MAX_PROOF_HASHES).map(readHash);
}

/** A signed checkpoint (note text) in an answer: far larger is not a checkpoint. */
export const MAX_CHECKPOINT_LENGTH = 64 * 1024;

/** 9999-12-31T23:59:59Z: a Date holds it and RFC 3339 writes it; a later integratedTime is no time. */
const MAX_UNIX_SECONDS = 253_402_300_799n;

/** An integratedTime: Unix seconds a date can hold. */
export function readUnixSeconds(cursor: JsonCursor): bigint {
  const seconds = cursor.integer();
  if (seconds > MAX_UNIX_SECONDS) cursor.fail(`expected Unix seconds up to ${MAX_UNIX_SECONDS} (9999-12-31), found ${seconds}`);
  return seconds;
}
