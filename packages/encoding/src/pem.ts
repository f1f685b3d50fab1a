import { decodeBase64, encodeBase64, typeOf } from './base64.js';
import { EncodingError } from './errors.js';

export interface PemBlock {
  label: string;
  der: Uint8Array;
}

/** Blocks in one PEM text: a certificate chain or a CA bundle has far fewer. */
export const MAX_PEM_BLOCKS = 1000;

const BEGIN = '-----BEGIN ';
const END = '-----END ';
const DASHES = '-----';
const LABEL = /^[A-Z0-9 ]+$/;

/**
 * Every PEM block in `text`, in order. Text between blocks is ignored, as OpenSSL does; a
 * block's BEGIN and END lines each stand on a line of their own. One pass over the lines,
 * so hostile text costs time linear in its length (a regexp with a lazy body under
 * matchAll rescanned the rest of the text from every BEGIN).
 */
export function decodePemBlocks(text: string, what = 'PEM'): PemBlock[] {
  if (typeof text !== 'string') {
    throw new EncodingError('ENCODING_INVALID_PEM', `${what}: expected PEM text, found ${typeOf(text)}`);
  }
  const blocks: PemBlock[] = [];
  let open: string | undefined;
  let body: string[] = [];
  for (let start = 0; start < text.length; ) {
    let stop = text.indexOf('\n', start);
    if (stop < 0) stop = text.length;
    const line = text.slice(start, stop).trim();
    start = stop + 1;
    if (open === undefined) {
      const label = markerLabel(line, BEGIN);
      if (label === undefined) continue;
      if (blocks.length === MAX_PEM_BLOCKS) {
        throw new EncodingError('ENCODING_INVALID_PEM', `${what}: expected at most ${MAX_PEM_BLOCKS} PEM blocks, found more`);
      }
      open = label;
      body = [];
    } else if (line.startsWith(END)) {
      const label = markerLabel(line, END);
      if (label !== open) {
        throw new EncodingError('ENCODING_INVALID_PEM', `${what}: BEGIN ${open} is closed by ${label === undefined ? 'a malformed END line' : `END ${label}`}`);
      }
      blocks.push(decodeBody(open, body.join(''), what));
      open = undefined;
    } else if (line.startsWith(BEGIN)) {
      throw new EncodingError('ENCODING_INVALID_PEM', `${what}: BEGIN ${open} is followed by another BEGIN line before its END`);
    } else {
      body.push(line);
    }
  }
  if (open !== undefined) {
    throw new EncodingError('ENCODING_INVALID_PEM', `${what}: BEGIN ${open} has no END ${open} line`);
  }
  if (blocks.length === 0) {
    throw new EncodingError('ENCODING_INVALID_PEM', `${what}: expected a -----BEGIN ...----- block, found none`);
  }
  return blocks;
}

/** The label of a `-----BEGIN LABEL-----` (or END) line, or undefined when the line is not one. */
function markerLabel(line: string, marker: string): string | undefined {
  if (!line.startsWith(marker) || !line.endsWith(DASHES) || line.length < marker.length + DASHES.length + 1) return undefined;
  const label = line.slice(marker.length, line.length - DASHES.length);
  return LABEL.test(label) ? label : undefined;
}

function decodeBody(label: string, body: string, what: string): PemBlock {
  // Lines were trimmed; white space inside a line is not base64 either.
  const base64 = body.replace(/\s+/g, '');
  if (base64.length === 0) {
    throw new EncodingError('ENCODING_INVALID_PEM', `${what}: the ${label} block is empty`);
  }
  return { label, der: decodeBase64(base64, `${what} (${label} block)`) };
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
