// @sigil/keys: ephemeral ECDSA signing keys behind a Signer interface (so that a KMS signer
// can come later), and the proof of possession Fulcio asks for.
export { KeysError, type KeysErrorCode } from './errors.js';
export { SIGNING_ALGORITHMS, type Signer, type SigningAlgorithm, type EphemeralAlgorithm, type AlgorithmParameters } from './signer.js';
export { generateEphemeralSigner, type EphemeralSignerOptions } from './ephemeral-signer.js';
export { proofOfPossession, publicKeyPem } from './proof-of-possession.js';
export { keyFileSigner } from './key-file/key-file-signer.js';
export { generateKeyPair, importKeyPair, loadPrivateKey, publicKeyPemOf, type KeyPairFiles } from './key-file/key-pair.js';
export { encryptPrivateKey, decryptPrivateKey, SIGSTORE_KEY_LABEL, COSIGN_KEY_LABEL, DEFAULT_SCRYPT, type ScryptParameters, type EncryptOptions, type DecryptedKey } from './key-file/encrypted-key.js';
export { readPlainPrivateKey, checkSigningKey } from './key-file/plain-private-key.js';
