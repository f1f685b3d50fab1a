// @sigil/merkle: RFC 6962 / RFC 9162 Merkle trees and proofs, C2SP signed-note checkpoints.
export { MerkleError, type MerkleErrorCode } from './errors.js';
export { leafHash, nodeHash, EMPTY_ROOT, HASH_SIZE } from './hashes.js';
export { verifyInclusionProof, rootFromInclusionProof, type InclusionProofInput, type InclusionProofCheck } from './inclusion.js';
export { verifyConsistencyProof, type ConsistencyProofCheck } from './consistency.js';
export { MerkleTree } from './tree.js';
export { MemoryHashStore, type HashStore } from './hash-store.js';
export { parseCheckpoint, type Checkpoint, type NoteSignature } from './checkpoint/parse.js';
export { verifyCheckpoint, type CheckpointKey } from './checkpoint/verify.js';
export { checkpointKeyId } from './checkpoint/key-id.js';
export { signCheckpoint, type CheckpointContent, type NoteSigner } from './checkpoint/sign.js';
