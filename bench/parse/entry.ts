// What the parse benchmark imports from Sigil, bundled from source at each run.
export { parseBundle } from '@sigil/bundle';
export { parseCertificate } from '@sigil/x509';
export { decodeBase64 } from '@sigil/encoding';
