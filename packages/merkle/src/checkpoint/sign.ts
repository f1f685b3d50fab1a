import { describeError } from '@sigil/errors';
import { concatBytes, encodeBase64, typeOf, utf8Encode } from '@sigil/encoding';
import { checkHash, checkUint64 } from '../checks.js';
import { MerkleError } from '../errors.js';
import { hasForbiddenCharacter, isValidKeyName, KEY_HINT_SIZE, SIGNATURE_PREFIX } from './note-format.js';

export interface CheckpointContent {
  origin: string;
  treeSize: bigint;
  rootHash: Uint8Array;
  extensions?: string[];
}

export interface NoteSigner {
  name: string;
  /** The 4-byte key ID written before the signature (e.g. checkpointKeyId(name, key).slice(0, 4)). */
  keyHint: Uint8Array;
  /** Signs the note text bytes; ECDSA signatures in DER, as Rekor writes them. */
  sign: (data: Uint8Array) => Uint8Array;
}

/** Writes and signs a checkpoint note, one signature line per signer, in the order given. */
export function signCheckpoint(content: CheckpointContent, signers: NoteSigner[]): string {
  const text = checkpointText(content);
  if (!Array.isArray(signers) || signers.length === 0) invalid('expected at least one signer');
  const data = utf8Encode(text);
  const lines = signers.map((signer, i) => signatureLine(signer, data, `signer ${i}`));
  return `${text}\n${lines.join('')}`;
}

function checkpointText({ origin, treeSize, rootHash, extensions = [] }: CheckpointContent): string {
  checkLine(origin, 'origin');
  checkUint64(treeSize, 'checkpoint treeSize');
  checkHash(rootHash, 'checkpoint rootHash');
  if (!Array.isArray(extensions)) invalid(`extensions: expected an array of lines, found ${typeOf(extensions)}`);
  extensions.forEach((line, i) => checkLine(line, `extension ${i}`));
  return [origin, treeSize.toString(), encodeBase64(rootHash), ...extensions].map((line) => `${line}\n`).join('');
}

function signatureLine(signer: NoteSigner, data: Uint8Array, what: string): string {
  const { name, keyHint, sign } = signer ?? ({} as NoteSigner);
  if (typeof name !== 'string' || !isValidKeyName(name)) invalid(`${what}: expected a key name without spaces or "+"`);
  if (!(keyHint instanceof Uint8Array) || keyHint.length !== KEY_HINT_SIZE) invalid(`${what}: expected a ${KEY_HINT_SIZE}-byte keyHint`);
  if (typeof sign !== 'function') invalid(`${what}: expected a sign function`);
  let signature: unknown;
  try {
    signature = sign(data);
  } catch (err) {
    throw new MerkleError('MERKLE_SIGNER_FAILED', `${what} ("${name}"): signing the checkpoint failed: ${describeError(err)}`, { cause: err });
  }
  if (!(signature instanceof Uint8Array) || signature.length === 0) {
    throw new MerkleError('MERKLE_SIGNER_FAILED', `${what} ("${name}"): expected the signature as non-empty bytes, found ${typeOf(signature)}`);
  }
  return `${SIGNATURE_PREFIX}${name} ${encodeBase64(concatBytes(keyHint, signature))}\n`;
}

function checkLine(line: unknown, what: string): void {
  if (typeof line !== 'string' || line.length === 0 || line.includes('\n') || hasForbiddenCharacter(line)) {
    invalid(`${what}: expected one non-empty line of text without control characters`);
  }
}

function invalid(reason: string): never {
  throw new MerkleError('MERKLE_INPUT_INVALID', `signCheckpoint: ${reason}`);
}
