// The fuzz targets: source, seed corpus (corpus/<name>), whether the target is synchronous
// (faster in Jazzer.js) and the largest input worth trying (a few times the largest seed).
export const TARGETS = {
  'bundle-verify': { sync: false, maxLen: 16384, description: 'bundle parse + verify against the embedded public-good roots' },
  x509: { sync: true, maxLen: 4096, description: 'PEM, DER certificates (every field, Fulcio extensions), RFC 3161 tokens' },
  'trust-config': { sync: true, maxLen: 16384, description: 'trusted roots (decoded into trust material), signing configs, client trust configs' },
  'npm-tarball': { sync: false, maxLen: 16384, description: "npm package tarballs: package/package.json out of gzip'd tar" },
  'oci-manifest': { sync: true, maxLen: 8192, description: 'OCI manifests and indexes, descriptors, .sig layers, simple-signing payloads' },
  'www-authenticate': { sync: true, maxLen: 1024, description: 'WWW-Authenticate challenges' },
};
