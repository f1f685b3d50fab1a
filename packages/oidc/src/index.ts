// @sigil/oidc: Identity tokens: sources (flag, SIGSTORE_ID_TOKEN, file), claims, and a pre-flight check before Fulcio
export {};
