// @sigil/provenance: SLSA provenance from GitLab CI variables, provenance policy checks, npm package provenance verification
export {};
