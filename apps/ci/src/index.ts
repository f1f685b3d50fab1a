// @sigil/ci: GitLab CI integration (identity, pre-flight, policy presets, templates).
export {};
