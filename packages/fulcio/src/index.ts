// @sigil/fulcio: Fulcio API v2 client: signing certificates from a public key and proof of possession, or a CSR
export {};
