// What the signing benchmark imports from Sigil (bundled by esbuild from source at each run),
// and the local stack's token issuer, to mint the tokens up front in the benchmark process.
export { signBlob } from '@sigil/sign';
export { loadTrustMaterialFile } from '@sigil/trust';
export { createOidcIssuer } from '../../test-infra/stack/src/oidc-server/index.js';
