import type { AccessScope } from '../auth/authenticator.js';
import { OciError } from '../errors.js';
import { parseImageReference, type ImageReference } from '../reference.js';
import { shown } from '../shown.js';
import type { Transport } from '../transport/transport.js';

/** What every operation of one client shares. */
export interface ClientContext {
  transport: Transport;
  maxManifestBytes: number;
  maxBlobBytes: number;
}

/** An image reference, or its text; only the registry and repository matter to repository-wide calls. */
export type ImageTarget = ImageReference | string;

export function toReference(target: ImageTarget): ImageReference {
  if (typeof target === 'string') return parseImageReference(target);
  if (typeof target !== 'object' || target === null || typeof target.registry !== 'string' || typeof target.repository !== 'string') {
    throw new OciError('OCI_INPUT_INVALID', `image: expected an image reference or its text, found ${shown(target)}`);
  }
  // A hand-made object goes through the parser too: its parts end up in URLs.
  const { registry, repository, tag, digest } = target;
  const text = `${registry}/${repository}${typeof tag === 'string' ? `:${tag}` : ''}${typeof digest === 'string' ? `@${digest}` : ''}`;
  return parseImageReference(text);
}

export function scopeOf(ref: ImageReference, push: boolean): AccessScope {
  return { registry: ref.registry, repository: ref.repository, push };
}

/** `<origin>/v2/<repository>/<path>`: every part was checked against the reference grammar. */
export function apiUrl(ctx: ClientContext, ref: ImageReference, path: string): URL {
  return new URL(`v2/${ref.repository}/${path}`, ctx.transport.origin(ref.registry));
}

export function checkBytes(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new OciError('OCI_INPUT_INVALID', `${what}: expected bytes (a Uint8Array), found ${shown(value)}`);
  return value;
}
