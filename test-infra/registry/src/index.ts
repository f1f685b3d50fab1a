// @sigil/registry: OCI registries for tests: an in-repo server with the referrers API, Debian's
// docker-registry 2.8 started on loopback, and a test image built the same everywhere.
export { RegistryTestError, type RegistryTestErrorCode } from './errors.js';
export { startOciRegistry, type OciRegistry, type OciRegistryOptions, type RecordedRequest } from './oci-server/start-oci-registry.js';
export type { RegistryAuth } from './oci-server/auth.js';
export { startDockerRegistry, type DockerRegistry, type DockerRegistryOptions } from './docker-registry/start-docker-registry.js';
export { buildTestImage, type TestImage, type TestImageOptions, type Descriptor } from './test-image/build-test-image.js';
export { pushTestImage, type PushCredentials, type PushedImage } from './test-image/push-test-image.js';
export { sha256Digest } from './digest.js';
export * as mediaTypes from './media-types.js';
