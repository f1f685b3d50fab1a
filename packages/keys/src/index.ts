// @sigil/keys: ephemeral ECDSA signing keys behind a Signer interface (so that a KMS signer
// can come later), and the proof of possession Fulcio asks for.
export { KeysError, type KeysErrorCode } from './errors.js';
export { SIGNING_ALGORITHMS, type Signer, type SigningAlgorithm, type AlgorithmParameters } from './signer.js';
export { generateEphemeralSigner, type EphemeralSignerOptions } from './ephemeral-signer.js';
export { proofOfPossession, publicKeyPem } from './proof-of-possession.js';
