import { describe, expect, it } from 'vitest';
import { parseBundle, parseEnvelope, preAuthEncoding, serializeEnvelope } from '../src/index.js';
import { expectBundleError, type ErrorCase, mutated, readJsonFixture } from './helpers.js';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('preAuthEncoding', () => {
  it('matches the DSSE specification example', () => {
    expect(text(preAuthEncoding('http://example.com/HelloWorld', utf8('hello world')))).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('counts bytes, not characters, and keeps the payload bytes as they are', () => {
    const payload = new Uint8Array([0x00, 0xff, 0x20]);
    const pae = preAuthEncoding('tÿpe', payload);
    expect(Buffer.from(pae.subarray(0, 17)).toString('utf8')).toBe('DSSEv1 5 tÿpe 3 ');
    expect(pae.subarray(pae.length - 3)).toEqual(payload);
  });

  it('handles an empty type and payload', () => {
    expect(text(preAuthEncoding('', new Uint8Array()))).toBe('DSSEv1 0  0 ');
  });
});

describe('parseEnvelope / serializeEnvelope', () => {
  const envelope = readJsonFixture('corpus/js-v03-intoto/bundle.json').dsseEnvelope;

  it('reads a real envelope and writes it back unchanged', () => {
    const parsed = parseEnvelope(JSON.stringify(envelope));
    expect(parsed.payloadType).toBe('application/vnd.in-toto+json');
    expect(parsed.signatures).toHaveLength(1);
    expect(serializeEnvelope(parsed)).toEqual(envelope);
    expect(parseEnvelope(serializeEnvelope(parsed))).toEqual(parsed);
  });

  it('gives the same envelope as the bundle it came from', () => {
    const bundle = parseBundle(readJsonFixture('corpus/js-v03-intoto/bundle.json'));
    expect(bundle.content.$case === 'dsseEnvelope' && bundle.content.envelope).toEqual(parseEnvelope(envelope));
  });

  it('allows several signatures and a missing keyid in a standalone envelope', () => {
    const parsed = parseEnvelope(mutated(envelope, (e) => e.signatures.push({ sig: 'AAEC' })));
    expect(parsed.signatures.map((s) => s.keyid)).toEqual(['', '']);
    expect(parsed.signatures[1]!.sig).toEqual(new Uint8Array([0, 1, 2]));
  });

  it.each<ErrorCase>([
    ['no signatures', (e) => (e.signatures = []), 'BUNDLE_INVALID_FIELD', 'signatures'],
    ['17 signatures', (e) => (e.signatures = Array(17).fill(e.signatures[0])), 'BUNDLE_TOO_LARGE', 'signatures'],
    ['no payload', (e) => delete e.payload, 'BUNDLE_MISSING_FIELD', 'payload'],
    ['payload bad base64', (e) => (e.payload = 'e30=e30='), 'BUNDLE_INVALID_FIELD', 'payload'],
    ['no payloadType', (e) => delete e.payloadType, 'BUNDLE_MISSING_FIELD', 'payloadType'],
    ['sig a number', (e) => (e.signatures[0].sig = 3), 'BUNDLE_INVALID_FIELD', 'signatures[0].sig'],
  ])('refuses an envelope with %s', (_name, change, code, path) => {
    const err = expectBundleError(() => parseEnvelope(mutated(envelope, change)), code, path);
    expect(err.details).toMatchObject({ document: 'DSSE envelope' });
  });

  it('refuses what is not JSON', () => {
    expectBundleError(() => parseEnvelope('{'), 'BUNDLE_INVALID_JSON', '');
  });
});
