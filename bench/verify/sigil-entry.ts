// What the benchmark imports from Sigil: bundled by esbuild from source at each run.
export { Verifier, certificateIdentity, artifactFromBytes } from '@sigil/verify';
export { publicGoodTrustMaterial, TrustMaterial } from '@sigil/trust';
