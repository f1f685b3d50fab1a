import { encodeBase64 } from '@sigil/encoding';
import type { DocumentName } from '../errors.js';
import { readDocument } from '../internal/document.js';
import { HASH_ALGORITHM_BY_NAME, HASH_ALGORITHM_NAME } from '../internal/hash-algorithm.js';
import type { JsonObject } from '../internal/json-node.js';
import { MAX_CHAIN_LENGTH, MAX_TRUST_DOCUMENT_SIZE, MAX_TRUST_LIST_LENGTH } from '../internal/limits.js';
import { readMediaType } from '../internal/media-type.js';
import { TRUSTED_ROOT_MEDIA_TYPE_V0_1, TRUSTED_ROOT_MEDIA_TYPE_V0_2 } from '../media-types.js';
import type { CertificateAuthority, TransparencyLogInstance, TrustedRoot } from './model.js';
import { readTimeRange, writeTimeRange } from './time-range.js';

const MEDIA_TYPES = [TRUSTED_ROOT_MEDIA_TYPE_V0_1, TRUSTED_ROOT_MEDIA_TYPE_V0_2];

/** Reads trusted_root.json (v0.1 or v0.2) from JSON text, UTF-8 bytes or a parsed value. */
export function parseTrustedRoot(input: string | Uint8Array | unknown): TrustedRoot {
  return readDocument(input, 'trusted root', MAX_TRUST_DOCUMENT_SIZE, readTrustedRoot);
}

export function readTrustedRoot(root: JsonObject): TrustedRoot {
  const logs = (key: string) => root.list(key, MAX_TRUST_LIST_LENGTH).map((log) => readLog(log.asObject()));
  const authorities = (key: string) => root.list(key, MAX_TRUST_LIST_LENGTH).map((ca) => readAuthority(ca.asObject()));
  return {
    mediaType: readMediaType(root, MEDIA_TYPES),
    tlogs: logs('tlogs'),
    certificateAuthorities: authorities('certificateAuthorities'),
    ctlogs: logs('ctlogs'),
    timestampAuthorities: authorities('timestampAuthorities'),
  };
}

function readLog(o: JsonObject): TransparencyLogInstance {
  const key = o.object('publicKey');
  const log: TransparencyLogInstance = {
    baseUrl: o.optionalString('baseUrl') ?? '',
    hashAlgorithm: o.require('hashAlgorithm', 'a hash algorithm name').asEnum(HASH_ALGORITHM_BY_NAME),
    publicKey: {
      keyDetails: key.optionalString('keyDetails') ?? 'PUBLIC_KEY_DETAILS_UNSPECIFIED',
      validFor: readTimeRange(key.optionalObject('validFor')),
    },
    logId: o.object('logId').bytes('keyId'),
  };
  const rawBytes = key.optionalBytes('rawBytes');
  if (rawBytes) log.publicKey.rawBytes = rawBytes;
  const checkpointKeyId = o.optionalObject('checkpointKeyId')?.bytes('keyId');
  if (checkpointKeyId) log.checkpointKeyId = checkpointKeyId;
  const operator = o.optionalString('operator');
  if (operator !== undefined) log.operator = operator;
  return log;
}

function readAuthority(o: JsonObject): CertificateAuthority {
  const subject = o.optionalObject('subject');
  const ca: CertificateAuthority = {
    subject: {},
    uri: o.optionalString('uri') ?? '',
    certChain: o.object('certChain').list('certificates', MAX_CHAIN_LENGTH, 1).map((cert) => cert.asObject().bytes('rawBytes')),
    validFor: readTimeRange(o.optionalObject('validFor')),
  };
  const organization = subject?.optionalString('organization');
  const commonName = subject?.optionalString('commonName');
  if (organization !== undefined) ca.subject.organization = organization;
  if (commonName !== undefined) ca.subject.commonName = commonName;
  const operator = o.optionalString('operator');
  if (operator !== undefined) ca.operator = operator;
  return ca;
}

/** protobuf JSON for a trusted root, ready for JSON.stringify; parseTrustedRoot reads it back. */
export function serializeTrustedRoot(root: TrustedRoot): Record<string, unknown> {
  return writeTrustedRoot(root, 'trusted root', '');
}

export function writeTrustedRoot(root: TrustedRoot, document: DocumentName, path: string): Record<string, unknown> {
  const at = (key: string, i: number) => `${path === '' ? '' : `${path}.`}${key}[${i}]`;
  return {
    mediaType: root.mediaType,
    tlogs: root.tlogs.map((log, i) => writeLog(log, document, at('tlogs', i))),
    certificateAuthorities: root.certificateAuthorities.map((ca, i) => writeAuthority(ca, document, at('certificateAuthorities', i))),
    ctlogs: root.ctlogs.map((log, i) => writeLog(log, document, at('ctlogs', i))),
    timestampAuthorities: root.timestampAuthorities.map((ca, i) => writeAuthority(ca, document, at('timestampAuthorities', i))),
  };
}

function writeLog(log: TransparencyLogInstance, document: DocumentName, path: string): Record<string, unknown> {
  const key = log.publicKey;
  return {
    baseUrl: log.baseUrl,
    hashAlgorithm: HASH_ALGORITHM_NAME[log.hashAlgorithm],
    publicKey: {
      ...(key.rawBytes ? { rawBytes: encodeBase64(key.rawBytes) } : {}),
      keyDetails: key.keyDetails,
      validFor: writeTimeRange(key.validFor, document, `${path}.publicKey.validFor`),
    },
    logId: { keyId: encodeBase64(log.logId) },
    ...(log.checkpointKeyId ? { checkpointKeyId: { keyId: encodeBase64(log.checkpointKeyId) } } : {}),
    ...(log.operator === undefined ? {} : { operator: log.operator }),
  };
}

function writeAuthority(ca: CertificateAuthority, document: DocumentName, path: string): Record<string, unknown> {
  return {
    subject: { ...ca.subject },
    uri: ca.uri,
    certChain: { certificates: ca.certChain.map((der) => ({ rawBytes: encodeBase64(der) })) },
    validFor: writeTimeRange(ca.validFor, document, `${path}.validFor`),
    ...(ca.operator === undefined ? {} : { operator: ca.operator }),
  };
}
