import { readDocument } from '../internal/document.js';
import type { JsonObject } from '../internal/json-node.js';
import { MAX_TRUST_DOCUMENT_SIZE } from '../internal/limits.js';
import { readMediaType } from '../internal/media-type.js';
import { CLIENT_TRUST_CONFIG_MEDIA_TYPE_V0_1 } from '../media-types.js';
import type { ClientTrustConfig } from './model.js';
import { readSigningConfig, writeSigningConfig } from './signing-config.js';
import { readTrustedRoot, writeTrustedRoot } from './trusted-root.js';

/** Reads a client trust config (v0.1: a trusted root and a signing config in one document). */
export function parseClientTrustConfig(input: string | Uint8Array | unknown): ClientTrustConfig {
  return readDocument(input, 'client trust config', MAX_TRUST_DOCUMENT_SIZE, readClientTrustConfig);
}

function readClientTrustConfig(root: JsonObject): ClientTrustConfig {
  return {
    mediaType: readMediaType(root, [CLIENT_TRUST_CONFIG_MEDIA_TYPE_V0_1]),
    trustedRoot: readTrustedRoot(root.object('trustedRoot')),
    signingConfig: readSigningConfig(root.object('signingConfig')),
  };
}

export function serializeClientTrustConfig(config: ClientTrustConfig): Record<string, unknown> {
  return {
    mediaType: config.mediaType,
    trustedRoot: writeTrustedRoot(config.trustedRoot, 'client trust config', 'trustedRoot'),
    signingConfig: writeSigningConfig(config.signingConfig, 'client trust config', 'signingConfig'),
  };
}
