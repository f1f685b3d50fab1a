// @sigil/oci: OCI registry client and cosign-compatible image signature storage: references, auth, manifests, blobs, referrers
export {};
