import { decodeBase64, encodeBase64, typeOf } from './base64.js';
import { EncodingError } from './errors.js';

export interface PemBlock {
  label: string;
  der: Uint8Array;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g;

/** Every PEM block in `text`, in order. Text around the blocks is ignored, as OpenSSL does. */
export function decodePemBlocks(text: string, what = 'PEM'): PemBlock[] {
  if (typeof text !== 'string') {
    throw new EncodingError('ENCODING_INVALID_PEM', `${what}: expected PEM text, found ${typeOf(text)}`);
  }
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const [, begin, body = '', end] = match;
    if (begin !== end) {
      throw new EncodingError('ENCODING_INVALID_PEM', `${what}: BEGIN ${begin} is closed by END ${end}`);
    }
    const base64 = body.replace(/\s+/g, '');
    if (base64.length === 0) {
      throw new EncodingError('ENCODING_INVALID_PEM', `${what}: the ${begin} block is empty`);
    }
    blocks.push({ label: begin!, der: decodeBase64(base64, `${what} (${begin} block)`) });
  }
  if (blocks.length === 0) {
    throw new EncodingError('ENCODING_INVALID_PEM', `${what}: expected a -----BEGIN ...----- block, found none`);
  }
  return blocks;
}

/** The single PEM block in `text`, optionally of a given label ("CERTIFICATE", "PUBLIC KEY"). */
export function pemToDer(text: string, label?: string, what = 'PEM'): Uint8Array {
  const blocks = decodePemBlocks(text, what);
  if (blocks.length !== 1) {
    throw new EncodingError('ENCODING_INVALID_PEM', `${what}: expected one PEM block, found ${blocks.length}`);
  }
  const [block] = blocks as [PemBlock];
  if (label !== undefined && block.label !== label) {
    throw new EncodingError('ENCODING_INVALID_PEM', `${what}: expected a ${label} block, found ${block.label}`);
  }
  return block.der;
}

/** Canonical PEM: 64-column lines and a final newline (what Go and Rekor write). */
export function derToPem(der: Uint8Array, label: string): string {
  const lines = encodeBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
