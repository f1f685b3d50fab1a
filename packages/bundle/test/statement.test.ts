import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBundle, parseStatement, STATEMENT_TYPE_V0_1, STATEMENT_TYPE_V1 } from '../src/index.js';
import { corpusCases, corpusDir, expectBundleError, readFixture } from './helpers.js';

const utf8 = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
const SHA = 'a'.repeat(64);
const statement = {
  _type: STATEMENT_TYPE_V1,
  subject: [{ name: 'app.tgz', digest: { sha256: SHA } }],
  predicateType: 'https://slsa.dev/provenance/v1',
  predicate: { buildDefinition: {} },
};

describe('parseStatement on real attestations', () => {
  const dsseCases = corpusCases().filter((name) => {
    const bundle = parseBundle(readFixture(`corpus/${name}/bundle.json`));
    return bundle.content.$case === 'dsseEnvelope' && bundle.content.envelope.payloadType === 'application/vnd.in-toto+json';
  });

  it('finds in-toto bundles in the corpus', () => {
    expect(dsseCases.length).toBeGreaterThan(10);
  });

  it.each(dsseCases)('%s: the statement names the artifact among its subjects', (name) => {
    const bundle = parseBundle(readFixture(`corpus/${name}/bundle.json`));
    if (bundle.content.$case !== 'dsseEnvelope') throw new Error('unreachable');
    const parsed = parseStatement(bundle.content.envelope.payload);
    expect([STATEMENT_TYPE_V0_1, STATEMENT_TYPE_V1]).toContain(parsed.type);
    expect(parsed.predicateType).toMatch(/^https:\/\//);
    const subjects = parsed.subjects.map((s) => s.digest);
    if (existsSync(new URL(`${name}/artifact`, corpusDir))) {
      const artifact = readFixture(`corpus/${name}/artifact`);
      const matches = subjects.some((digest) =>
        (['sha256', 'sha512'] as const).some((alg) => digest[alg] === createHash(alg).update(artifact).digest('hex')),
      );
      expect(matches).toBe(true);
    } else {
      const digest = String(readFixture(`corpus/${name}/digest.txt`)).trim().replace(/^sha256:/, '');
      expect(subjects.map((d) => d.sha256)).toContain(digest);
    }
  });
});

describe('parseStatement', () => {
  it('reads a v1 statement', () => {
    expect(parseStatement(utf8(statement))).toEqual({
      type: STATEMENT_TYPE_V1,
      subjects: [{ name: 'app.tgz', digest: { sha256: SHA } }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: { buildDefinition: {} },
    });
  });

  it('lower-cases hex digests, keeps non-hex algorithms as written and a v1 subject without name', () => {
    const parsed = parseStatement(utf8({ ...statement, subject: [{ digest: { sha256: SHA.toUpperCase(), dirHash: 'h1:abc+/=' } }] }));
    expect(parsed.subjects).toEqual([{ name: '', digest: { sha256: SHA, dirHash: 'h1:abc+/=' } }]);
  });

  it('keeps a v1 subject\'s annotations as written, and refuses annotations that are no object', () => {
    const annotated = { ...statement, subject: [{ digest: { sha256: SHA }, annotations: { env: 'prod', n: 1 } }] };
    expect(parseStatement(utf8(annotated)).subjects[0]!.annotations).toEqual({ env: 'prod', n: 1 });
    expectBundleError(() => parseStatement(utf8({ ...statement, subject: [{ digest: { sha256: SHA }, annotations: 'x' }] })), 'BUNDLE_INVALID_STATEMENT');
  });

  it('keeps an algorithm named __proto__ as a plain key', () => {
    const parsed = parseStatement(utf8('{"_type":"https://in-toto.io/Statement/v1","subject":[{"digest":{"__proto__":"x","sha256":"00"}}],"predicateType":"p"}'));
    const digest = parsed.subjects[0]!.digest;
    expect(Object.keys(digest)).toEqual(['__proto__', 'sha256']);
    expect(digest.__proto__).toBe('x');
  });

  it('reads a missing predicate as undefined', () => {
    const { predicate: _, ...rest } = statement;
    expect(parseStatement(utf8(rest)).predicate).toBeUndefined();
  });

  const subject = (s: object) => ({ ...statement, subject: [s] });
  it.each([
    ['not JSON', '{', ''],
    ['invalid UTF-8', new Uint8Array([0xc3]), ''],
    ['an array', [], ''],
    ['no _type', { ...statement, _type: undefined }, '_type'],
    ['an unknown _type', { ...statement, _type: 'https://in-toto.io/Statement/v2' }, '_type'],
    ['no subject', { ...statement, subject: undefined }, 'subject'],
    ['an empty subject list', { ...statement, subject: [] }, 'subject'],
    ['1025 subjects', { ...statement, subject: Array(1025).fill(statement.subject[0]) }, 'subject'],
    ['a subject that is a string', { ...statement, subject: ['x'] }, 'subject[0]'],
    ['a v0.1 subject without name', { ...subject({ digest: { sha256: SHA } }), _type: STATEMENT_TYPE_V0_1 }, 'subject[0].name'],
    ['a subject name that is a number', subject({ name: 1, digest: { sha256: SHA } }), 'subject[0].name'],
    ['no digest', subject({ name: 'a' }), 'subject[0].digest'],
    ['an empty digest set', subject({ name: 'a', digest: {} }), 'subject[0]'],
    ['33 digests', subject({ name: 'a', digest: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`alg${i}`, '00'])) }), 'subject[0].digest'],
    ['a non-hex sha256', subject({ name: 'a', digest: { sha256: 'xyz' } }), 'subject[0].digest.sha256'],
    ['an odd-length sha256', subject({ name: 'a', digest: { sha256: 'abc' } }), 'subject[0].digest.sha256'],
    ['a numeric digest', subject({ name: 'a', digest: { sha256: 5 } }), 'subject[0].digest.sha256'],
    ['no predicateType', { ...statement, predicateType: undefined }, 'predicateType'],
    ['a predicateType that is an object', { ...statement, predicateType: {} }, 'predicateType'],
  ] as const)('refuses %s with BUNDLE_INVALID_STATEMENT', (_name, value, path) => {
    const payload = value instanceof Uint8Array ? value : utf8(value);
    const err = expectBundleError(() => parseStatement(payload), 'BUNDLE_INVALID_STATEMENT', path);
    expect(err.details).toMatchObject({ document: 'in-toto statement' });
  });
});
