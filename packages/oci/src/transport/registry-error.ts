import { cleanServerMessage, type HttpResponse } from '@sigil/http-client';
import { OciError, type OciErrorCode } from '../errors.js';
import { isObject, jsonOf } from '../json-bytes.js';

const MAX_CODES = 8;

/** What a registry's error body (`{"errors":[{"code","message"}]}`, attacker-controlled) safely says. */
export interface RegistryErrorInfo {
  /** Codes such as MANIFEST_UNKNOWN, DENIED; any not made of [A-Z0-9_] is dropped. */
  codes: string[];
  /** Their messages, one line each, bounded, secrets blanked. */
  message?: string;
}

export function readRegistryError(body: Uint8Array, secrets: readonly string[]): RegistryErrorInfo {
  // A body that is not JSON (or is over the limits) says nothing: the status speaks alone.
  const read = jsonOf(body, 'service response');
  const errors = 'value' in read && isObject(read.value) ? read.value.errors : undefined;
  if (!Array.isArray(errors)) return { codes: [] };
  const codes: string[] = [];
  const messages: string[] = [];
  for (const item of errors.slice(0, MAX_CODES)) {
    if (typeof item !== 'object' || item === null) continue;
    const { code, message } = item as { code?: unknown; message?: unknown };
    // A code outside the spec's shape is dropped rather than mended into another one.
    if (typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code)) codes.push(code);
    if (typeof message === 'string' && message.trim() !== '') messages.push(message);
  }
  const message = messages.length ? cleanServerMessage(messages.join('; '), secrets) : undefined;
  return message === undefined ? { codes } : { codes, message };
}

/** The error for an answer whose status the operation did not expect. */
export function statusError(response: HttpResponse<Uint8Array>, what: string, secrets: readonly string[]): OciError {
  const { status } = response;
  const info = readRegistryError(response.body, secrets);
  const said = [info.codes.join(', '), info.message].filter(Boolean).join(': ');
  const code: OciErrorCode = status === 404 ? 'OCI_NOT_FOUND' : status === 403 ? 'OCI_AUTH_FAILED' : status === 413 ? 'OCI_TOO_LARGE' : 'OCI_REGISTRY_ERROR';
  return new OciError(code, `${what}: expected success, found HTTP ${status}${said ? ` (${said})` : ''}`, {
    details: { status, registryCodes: info.codes, ...(info.message === undefined ? {} : { registryMessage: info.message }) },
    hint: hintFor(status),
  });
}

function hintFor(status: number): string {
  if (status === 404) return 'Check the repository, tag or digest.';
  if (status === 403) return 'The registry refused access: check the credentials have the needed permission.';
  if (status === 413) return 'The registry refused the size of the upload.';
  return 'The registry refused the request.';
}
