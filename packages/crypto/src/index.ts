// @sigil/crypto: hashing, public keys and signature verification (node:crypto on the hot
// path, @noble/curves for ECDSA over a precomputed digest).
export { CryptoError, type CryptoErrorCode } from './errors.js';
export { hash, sha256, hashStream, MultiHasher, HASH_ALGORITHMS, HASH_SIZE, type HashAlgorithm } from './hash.js';
export { importPublicKey, importPublicKeyPem, fromKeyObject, type PublicKey, type Curve } from './public-key.js';
export { keyDetailsOf } from './key-details.js';
export { verifySignature, verifySignatureInBackground, verifyDigestSignature, ecPublicKeyPoint, DIGEST_INFO_PREFIX, type SignatureOptions } from './verify-signature.js';
export { timingSafeEqual } from './compare.js';
