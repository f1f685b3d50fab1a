// @sigil/registry: OCI registries for tests (in-repo with referrers; Debian docker-registry).
export {};
