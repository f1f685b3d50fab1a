// @sigil/merkle: RFC 6962 Merkle trees: hashes, inclusion and consistency proofs, signed-note checkpoints
export {};
