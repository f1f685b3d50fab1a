// @sigil/bundle: Strict codecs for Sigstore bundles v0.1-v0.3, legacy cosign bundles, DSSE and in-toto statements
export {};
