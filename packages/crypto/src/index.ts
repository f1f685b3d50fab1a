// @sigil/crypto: Hashing, signature verification and key import on node:crypto, with @noble/curves for digests
export {};
