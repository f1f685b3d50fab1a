import { verifySignature, type PublicKey } from '@sigil/crypto';
import { bytesEqual, encodeHex, typeOf, utf8Encode } from '@sigil/encoding';
import { MerkleError } from '../errors.js';
import { checkpointKeyId } from './key-id.js';
import { isValidKeyName, KEY_HINT_SIZE } from './note-format.js';
import type { Checkpoint, NoteSignature } from './parse.js';

export interface CheckpointKey {
  /** The key name signature lines must carry: the log's host name (see README). */
  name: string;
  publicKey: PublicKey;
  /**
   * The key's ID, of which the first 4 bytes are compared with signature lines (a trusted
   * root's checkpointKeyId or logId.keyId). Computed from name and key when absent.
   */
  keyId?: Uint8Array;
}

/**
 * Verifies a parsed checkpoint against one trusted key (c2sp.org/signed-note). Signature
 * lines are picked by key name and key ID together; lines of other keys (witness
 * cosignatures, old keys) are ignored. At least one line must come from the key and every
 * such line must verify: a bad signature from a known key condemns the whole note, as the
 * spec recommends. Throws MerkleError; returns the signature that verified.
 */
export function verifyCheckpoint(checkpoint: Checkpoint, key: CheckpointKey): NoteSignature {
  const { name, publicKey, hint } = checkKey(key);
  if (typeof checkpoint?.signedText !== 'string' || !Array.isArray(checkpoint.signatures)) {
    throw new MerkleError('MERKLE_INPUT_INVALID', `verifyCheckpoint: expected a parsed checkpoint, found ${typeOf(checkpoint)}`);
  }
  const fromKey = checkpoint.signatures.filter(
    (line) => line?.name === name && line.keyHint instanceof Uint8Array && bytesEqual(line.keyHint, hint),
  );
  if (fromKey.length === 0) {
    throw new MerkleError('MERKLE_CHECKPOINT_NO_SIGNATURE', `checkpoint: expected a signature line from key "${name}" with ID ${encodeHex(hint)}, found none`, {
      details: { expected: { name, keyHint: encodeHex(hint) }, actual: checkpoint.signatures.map((s) => ({ name: s?.name, keyHint: hexOf(s?.keyHint) })) },
    });
  }
  const data = utf8Encode(checkpoint.signedText);
  for (const line of fromKey) {
    if (!(line.signature instanceof Uint8Array) || !verifySignature(publicKey, data, line.signature)) {
      throw new MerkleError('MERKLE_CHECKPOINT_SIGNATURE_INVALID', `checkpoint: the signature from key "${name}" (ID ${encodeHex(hint)}) does not verify over the note text`, {
        details: { name, keyHint: encodeHex(hint) },
      });
    }
  }
  return fromKey[0]!;
}

function checkKey(key: CheckpointKey): { name: string; publicKey: PublicKey; hint: Uint8Array } {
  if (typeof key !== 'object' || key === null) {
    throw new MerkleError('MERKLE_CHECKPOINT_KEY_INVALID', `checkpoint key: expected { name, publicKey, keyId? }, found ${typeOf(key)}`);
  }
  const { name, publicKey, keyId } = key;
  if (typeof name !== 'string' || !isValidKeyName(name)) {
    throw new MerkleError('MERKLE_CHECKPOINT_KEY_INVALID', 'checkpoint key: expected a non-empty key name without spaces or "+"');
  }
  if (typeof publicKey !== 'object' || publicKey === null || !('keyObject' in publicKey)) {
    throw new MerkleError('MERKLE_CHECKPOINT_KEY_INVALID', `checkpoint key: expected an imported PublicKey, found ${typeOf(publicKey)}`);
  }
  if (keyId === undefined) return { name, publicKey, hint: checkpointKeyId(name, publicKey).slice(0, KEY_HINT_SIZE) };
  if (!(keyId instanceof Uint8Array) || keyId.length < KEY_HINT_SIZE) {
    throw new MerkleError('MERKLE_CHECKPOINT_KEY_INVALID', `checkpoint key: expected keyId of at least ${KEY_HINT_SIZE} bytes`);
  }
  return { name, publicKey, hint: keyId.slice(0, KEY_HINT_SIZE) };
}

function hexOf(value: unknown): string | undefined {
  return value instanceof Uint8Array ? encodeHex(value) : undefined;
}
