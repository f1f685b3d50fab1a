import { flag, type OptionSet } from '../flags/spec.js';
import { LEGACY_ATTACHMENTS, only } from './refusals.js';

/** Registry access (RegistryOptions). */
export const REGISTRY_FLAGS: OptionSet = [
  flag({ name: 'allow-insecure-registry', type: 'bool', default: 'false', description: 'do not verify registries\' TLS certificates (a warning says so); also allows plain http to a loopback registry' }),
  flag({ name: 'allow-http-registry', type: 'bool', default: 'false', description: 'allow plain http to a loopback registry (other hosts: https only)' }),
  flag({
    name: 'k8s-keychain',
    type: 'bool',
    default: 'false',
    description: 'use the cloud providers\' credential helpers as Kubernetes does',
    refused: { why: 'the Kubernetes keychain (ECR, GCR, ACR helpers) is not supported', instead: 'log in with docker login (~/.docker/config.json) or pass --registry-username and --registry-password', accepts: only(false) },
  }),
  flag({ name: 'registry-username', type: 'string', default: '', description: 'user name for the registry (with --registry-password); else GitLab CI\'s job credentials or ~/.docker/config.json' }),
  flag({ name: 'registry-password', type: 'string', default: '', description: 'password for the registry (with --registry-username)' }),
  flag({ name: 'registry-token', type: 'string', default: '', description: 'a bearer token sent as it is to the registry (when no --registry-username/--registry-password)' }),
  flag({ name: 'registry-cacert', type: 'string', default: '', description: 'CA certificates (PEM) the registry\'s TLS certificate must chain to, instead of the system\'s' }),
  flag({ name: 'registry-client-cert', type: 'string', default: '', description: 'client certificate (PEM) for registries that ask for one (with --registry-client-key)' }),
  flag({ name: 'registry-client-key', type: 'string', default: '', description: 'the client certificate\'s private key (PEM)' }),
  flag({ name: 'registry-server-name', type: 'string', default: '', description: 'the name the registry\'s TLS certificate must carry, when not its host' }),
  flag({ name: 'attachment-tag-prefix', type: 'string', default: '', description: 'prefix of attachment tags', deprecated: 'please use OCI referrers', refused: LEGACY_ATTACHMENTS }),
];

/** cosign's -a KEY=VALUE (AnnotationOptions): a comma-separated list, repeatable. */
export const ANNOTATION_FLAGS: OptionSet = [
  flag({ name: 'annotations', short: 'a', type: 'stringSlice', default: '[]', description: 'extra KEY=VALUE pairs to sign (sign) or to require (verify); commas separate pairs' }),
];

/** RegistryExperimentalOptions. */
export const REFERRERS_MODE_FLAGS: OptionSet = [
  flag({
    name: 'registry-referrers-mode',
    type: 'string',
    default: '',
    choices: ['legacy', 'oci-1-1'],
    description: 'legacy or oci-1-1 (oci-1-1 needs COSIGN_EXPERIMENTAL=1); bundles are stored as OCI 1.1 referrers either way',
  }),
];
