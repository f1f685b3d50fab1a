import { typeOf } from '@sigil/encoding';
import { MerkleError } from '../errors.js';
import { HASH_SIZE } from '../hashes.js';
import { MAX_TREE_SIZE } from '../checks.js';
import {
  decodeCanonicalBase64,
  hasForbiddenCharacter,
  isValidKeyName,
  KEY_HINT_SIZE,
  MAX_NOTE_LENGTH,
  MAX_SIGNATURES,
  SIGNATURE_PREFIX,
} from './note-format.js';

export interface NoteSignature {
  /** Key name as written on the signature line. */
  name: string;
  /** The 4-byte key ID the line claims (a hint for picking the key, not proof of anything). */
  keyHint: Uint8Array;
  signature: Uint8Array;
}

export interface Checkpoint {
  origin: string;
  treeSize: bigint;
  rootHash: Uint8Array;
  /** Lines after the root hash (e.g. Rekor v1's old `Timestamp: <ns>`), opaque. */
  extensions: string[];
  /** The note text every signature covers, final newline included. */
  signedText: string;
  /** Every signature line, in order, from any key (the log's, witnesses'). None is verified yet. */
  signatures: NoteSignature[];
}

/**
 * Parses a checkpoint (c2sp.org/tlog-checkpoint) in its signed-note envelope. Strict:
 * throws MerkleError MERKLE_CHECKPOINT_MALFORMED for anything the formats do not allow.
 * Verifies nothing: call verifyCheckpoint before trusting any field.
 */
export function parseCheckpoint(signedNote: string): Checkpoint {
  if (typeof signedNote !== 'string') malformed(`expected the signed note as a string, found ${typeOf(signedNote)}`);
  if (signedNote.length > MAX_NOTE_LENGTH) malformed(`expected at most ${MAX_NOTE_LENGTH} characters, found ${signedNote.length}`);
  if (hasForbiddenCharacter(signedNote)) malformed('expected UTF-8 text without control characters other than newline');

  // The text ends at the last blank line: text lines can never start with the em dash of a
  // signature, but only the last split is unambiguous.
  const split = signedNote.lastIndexOf('\n\n');
  if (split < 0) malformed('expected a blank line between the note text and its signatures, found none');
  const signedText = signedNote.slice(0, split + 1);
  const signatureBlock = signedNote.slice(split + 2);

  return { ...parseText(signedText), signedText, signatures: parseSignatures(signatureBlock) };
}

function parseText(text: string): Omit<Checkpoint, 'signedText' | 'signatures'> {
  const lines = text.slice(0, -1).split('\n');
  if (lines.some((line) => line.length === 0)) malformed('expected non-empty lines in the note text, found an empty one');
  if (lines.length < 3) malformed(`expected origin, tree size and root hash lines, found ${lines.length} line(s)`);
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];

  if (!/^(?:0|[1-9][0-9]{0,19})$/.test(sizeLine)) {
    malformed(`expected the tree size on line 2 as a decimal number without leading zeros, found "${clip(sizeLine)}"`);
  }
  const treeSize = BigInt(sizeLine);
  if (treeSize > MAX_TREE_SIZE) malformed(`expected a tree size below 2^64, found ${sizeLine}`);

  const rootHash = decodeCanonicalBase64(rootLine);
  if (rootHash === undefined) malformed(`expected the root hash on line 3 in standard base64, found "${clip(rootLine)}"`);
  if (rootHash.length !== HASH_SIZE) malformed(`expected a ${HASH_SIZE}-byte root hash, found ${rootHash.length} bytes`);

  return { origin, treeSize, rootHash, extensions };
}

function parseSignatures(block: string): NoteSignature[] {
  if (block.length === 0) malformed('expected at least one signature line, found none');
  if (!block.endsWith('\n')) malformed('expected every signature line to end with a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) malformed(`expected at most ${MAX_SIGNATURES} signature lines, found ${lines.length}`);
  return lines.map((line, i) => parseSignatureLine(line, i + 1));
}

function parseSignatureLine(line: string, number: number): NoteSignature {
  const where = `signature line ${number}`;
  if (!line.startsWith(SIGNATURE_PREFIX)) malformed(`${where}: expected "\u2014 <name> <base64>", found "${clip(line)}"`);
  const parts = line.slice(SIGNATURE_PREFIX.length).split(' ');
  if (parts.length !== 2) malformed(`${where}: expected a key name and a signature separated by one space`);
  const [name, encoded] = parts as [string, string];
  if (!isValidKeyName(name)) malformed(`${where}: expected a key name without spaces or "+", found "${clip(name)}"`);
  const bytes = decodeCanonicalBase64(encoded);
  if (bytes === undefined) malformed(`${where}: expected the signature in standard base64`);
  if (bytes.length <= KEY_HINT_SIZE) malformed(`${where}: expected a ${KEY_HINT_SIZE}-byte key ID and a signature, found ${bytes.length} bytes`);
  return { name, keyHint: bytes.slice(0, KEY_HINT_SIZE), signature: bytes.slice(KEY_HINT_SIZE) };
}

function malformed(reason: string): never {
  throw new MerkleError('MERKLE_CHECKPOINT_MALFORMED', `checkpoint: ${reason}`);
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}
