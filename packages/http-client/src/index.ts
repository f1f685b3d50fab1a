// @sigil/http-client: HTTP for Sigstore clients: timeouts, retries with backoff, bounded JSON bodies, typed errors
export {};
