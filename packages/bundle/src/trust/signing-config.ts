import type { DocumentName } from '../errors.js';
import { readDocument } from '../internal/document.js';
import type { JsonObject } from '../internal/json-node.js';
import { MAX_TRUST_DOCUMENT_SIZE, MAX_TRUST_LIST_LENGTH } from '../internal/limits.js';
import { readMediaType } from '../internal/media-type.js';
import { SIGNING_CONFIG_MEDIA_TYPE_V0_2 } from '../media-types.js';
import type { Service, ServiceConfiguration, ServiceSelector, SigningConfig } from './model.js';
import { readTimeRange, writeTimeRange } from './time-range.js';

const SERVICE_LISTS = ['caUrls', 'oidcUrls', 'rekorTlogUrls', 'tsaUrls'] as const;
const SELECTORS: Readonly<Record<string, ServiceSelector>> = { ALL: 'ALL', ANY: 'ANY', EXACT: 'EXACT' };

/** Reads signing_config.json (v0.2) from JSON text, UTF-8 bytes or a parsed value. */
export function parseSigningConfig(input: string | Uint8Array | unknown): SigningConfig {
  return readDocument(input, 'signing config', MAX_TRUST_DOCUMENT_SIZE, readSigningConfig);
}

export function readSigningConfig(root: JsonObject): SigningConfig {
  const services = (key: string) => root.list(key, MAX_TRUST_LIST_LENGTH).map((service) => readService(service.asObject()));
  const config: SigningConfig = {
    mediaType: readMediaType(root, [SIGNING_CONFIG_MEDIA_TYPE_V0_2]),
    caUrls: services('caUrls'),
    oidcUrls: services('oidcUrls'),
    rekorTlogUrls: services('rekorTlogUrls'),
    tsaUrls: services('tsaUrls'),
  };
  const rekorTlogConfig = root.optionalObject('rekorTlogConfig');
  if (rekorTlogConfig) config.rekorTlogConfig = readServiceConfiguration(rekorTlogConfig);
  const tsaConfig = root.optionalObject('tsaConfig');
  if (tsaConfig) config.tsaConfig = readServiceConfiguration(tsaConfig);
  return config;
}

function readService(o: JsonObject): Service {
  return {
    url: o.string('url'),
    majorApiVersion: o.require('majorApiVersion', 'an API version number').asUint32(),
    validFor: readTimeRange(o.object('validFor')),
    operator: o.optionalString('operator') ?? '',
  };
}

function readServiceConfiguration(o: JsonObject): ServiceConfiguration {
  return {
    selector: o.require('selector', 'ALL, ANY or EXACT').asEnum(SELECTORS),
    count: o.field('count')?.asUint32() ?? 0,
  };
}

/** protobuf JSON for a signing config, ready for JSON.stringify; parseSigningConfig reads it back. */
export function serializeSigningConfig(config: SigningConfig): Record<string, unknown> {
  return writeSigningConfig(config, 'signing config', '');
}

export function writeSigningConfig(config: SigningConfig, document: DocumentName, path: string): Record<string, unknown> {
  const json: Record<string, unknown> = { mediaType: config.mediaType };
  for (const key of SERVICE_LISTS) {
    const at = `${path === '' ? '' : `${path}.`}${key}`;
    json[key] = config[key].map((service, i) => ({
      url: service.url,
      majorApiVersion: service.majorApiVersion,
      validFor: writeTimeRange(service.validFor, document, `${at}[${i}].validFor`),
      operator: service.operator,
    }));
  }
  if (config.rekorTlogConfig) json.rekorTlogConfig = writeServiceConfiguration(config.rekorTlogConfig);
  if (config.tsaConfig) json.tsaConfig = writeServiceConfiguration(config.tsaConfig);
  return json;
}

function writeServiceConfiguration({ selector, count }: ServiceConfiguration): Record<string, unknown> {
  return count === 0 ? { selector } : { selector, count };
}
