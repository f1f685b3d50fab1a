// @sigil/keys: Ephemeral ECDSA signing keys behind a Signer interface, and proof of possession
export {};
