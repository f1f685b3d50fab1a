// @sigil/verify: The offline Sigstore verifier: bundle + artifact + trusted root + policy -> signer, or a typed error
export {};
