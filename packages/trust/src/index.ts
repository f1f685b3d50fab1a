// @sigil/trust: Trusted roots and signing configs: embedded public-good roots, files, key lookup by id and time
export {};
