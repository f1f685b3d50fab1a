import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEntryBody, RekorError, type LoggedEntry } from '../src/index.js';
import { b64, bundleLeafDer, conformanceCases, corpusCases, expectRekorError, toB64, toHex } from './fixtures.js';

const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());
const utf8 = (text: string) => new TextEncoder().encode(text);
const HASH_NAMES: Record<string, string> = { SHA2_256: 'sha256', SHA2_384: 'sha384', SHA2_512: 'sha512' };

describe('Rekor entry bodies: every real bundle', () => {
  for (const { name, bundle, entry } of corpusCases()) {
    it(`${name}: ${entry.kindVersion.kind} ${entry.kindVersion.version} matches its bundle`, () => {
      const logged = parseEntryBody(b64(entry.canonicalizedBody), entry.kindVersion);
      expect(logged.kind).toBe(entry.kindVersion.kind);
      expect(logged.version).toBe(entry.kindVersion.version);
      expectBodyMatchesBundle(logged, bundle);
    });
  }
});

describe('Rekor entry bodies: sigstore-conformance bundles', () => {
  for (const { name, bundle, entry } of conformanceCases()) {
    const happy = !name.endsWith('_fail');
    it(`${name}: ${happy ? 'parses and matches its bundle' : 'parses or fails with a RekorError'}`, () => {
      let logged: LoggedEntry;
      try {
        logged = parseEntryBody(b64(entry.canonicalizedBody), entry.kindVersion);
      } catch (err) {
        expect(err).toBeInstanceOf(RekorError);
        expect(happy).toBe(false);
        return;
      }
      if (happy) expectBodyMatchesBundle(logged, bundle);
    });
  }

  it('sees every kind the bundles use', () => {
    const kinds = new Set([...corpusCases(), ...conformanceCases()].map((c) => `${c.entry.kindVersion.kind}/${c.entry.kindVersion.version}`));
    expect([...kinds].sort()).toEqual(['dsse/0.0.1', 'hashedrekord/0.0.1', 'hashedrekord/0.0.2', 'intoto/0.0.2']);
  });
});

/** What a verifier checks between a logged body and its bundle (PROTOCOLS 6.3c). */
function expectBodyMatchesBundle(logged: LoggedEntry, bundle: any): void {
  const leaf = bundleLeafDer(bundle);
  if (leaf) {
    expect(logged.verifiers[0]!.type).toBe('certificate');
    expect(toHex(logged.verifiers[0]!.der)).toBe(toHex(leaf));
  }
  if (bundle.messageSignature) {
    expect(toB64(logged.signatures[0]!)).toBe(toB64(b64(bundle.messageSignature.signature)));
    const { algorithm, digest } = bundle.messageSignature.messageDigest ?? {};
    if (digest && logged.version === '0.0.1') {
      expect(logged.artifactDigest!.algorithm).toBe(HASH_NAMES[algorithm]);
      expect(toHex(logged.artifactDigest!.digest)).toBe(toHex(b64(digest)));
    }
    return;
  }
  const envelope = bundle.dsseEnvelope;
  expect(toB64(logged.signatures[0]!)).toBe(toB64(b64(envelope.signatures[0].sig)));
  if (logged.kind === 'hashedrekord') {
    // Rekor v2 logs DSSE as hashedrekord over the PAE bytes.
    const payload = b64(envelope.payload);
    const pae = utf8(`DSSEv1 ${utf8(envelope.payloadType).length} ${envelope.payloadType} ${payload.length} `);
    expect(toHex(logged.artifactDigest!.digest)).toBe(toHex(sha256(new Uint8Array([...pae, ...payload]))));
  } else {
    expect(logged.payloadHash!.algorithm).toBe('sha256');
    expect(toHex(logged.payloadHash!.digest)).toBe(toHex(sha256(b64(envelope.payload))));
    expect(logged.envelopeHash!.digest).toHaveLength(32);
  }
  if (logged.kind === 'intoto') expect(logged.payloadType).toBe(envelope.payloadType);
}

// ---- synthetic bodies for the kinds the fixtures lack, and for every error path ---------

const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const SPKI = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
const KEY_PEM = publicKey.export({ format: 'pem', type: 'spki' }) as string;
const KEY_PEM_B64 = Buffer.from(KEY_PEM).toString('base64');
const SIG = new Uint8Array([0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02]);
const HASH_HEX = 'ab'.repeat(32);
const hexHash = { algorithm: 'sha256', value: HASH_HEX };

const bodies = {
  'hashedrekord/0.0.1': () => ({
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: { data: { hash: { algorithm: 'sha384', value: 'cd'.repeat(48) } }, signature: { content: toB64(SIG), publicKey: { content: KEY_PEM_B64 } } },
  }),
  'hashedrekord/0.0.2': () => ({
    apiVersion: '0.0.2',
    kind: 'hashedrekord',
    spec: {
      hashedRekordV002: {
        data: { algorithm: 'SHA2_512', digest: toB64(new Uint8Array(64).fill(3)) },
        signature: { content: toB64(SIG), verifier: { keyDetails: 'PKIX_ECDSA_P256_SHA_256', publicKey: { rawBytes: toB64(SPKI) } } },
      },
    },
  }),
  'dsse/0.0.1': () => ({
    apiVersion: '0.0.1',
    kind: 'dsse',
    spec: { envelopeHash: hexHash, payloadHash: hexHash, signatures: [{ signature: toB64(SIG), verifier: KEY_PEM_B64 }] },
  }),
  'dsse/0.0.2': () => ({
    apiVersion: '0.0.2',
    kind: 'dsse',
    spec: {
      dsseV002: {
        payloadHash: { algorithm: 'SHA2_256', digest: toB64(new Uint8Array(32).fill(9)) },
        signatures: [
          { content: toB64(SIG), verifier: { keyDetails: 'PKIX_ECDSA_P256_SHA_256', publicKey: { rawBytes: toB64(SPKI) } } },
          { content: toB64(SIG.slice().reverse()), verifier: { keyDetails: 'PKIX_ECDSA_P256_SHA_256', x509Certificate: { rawBytes: toB64(SPKI) } } },
        ],
      },
    },
  }),
  'intoto/0.0.1': () => ({
    apiVersion: '0.0.1',
    kind: 'intoto',
    spec: { content: { hash: hexHash, payloadHash: { algorithm: 'sha256', value: 'cd'.repeat(32) } }, publicKey: KEY_PEM_B64 },
  }),
  'intoto/0.0.2': () => ({
    apiVersion: '0.0.2',
    kind: 'intoto',
    spec: {
      content: {
        envelope: {
          payloadType: 'application/vnd.in-toto+json',
          signatures: [{ keyid: '', publicKey: KEY_PEM_B64, sig: Buffer.from(toB64(SIG)).toString('base64') }],
        },
        hash: hexHash,
        payloadHash: hexHash,
      },
    },
  }),
};
type BodyName = keyof typeof bodies;
const encode = (value: unknown) => utf8(JSON.stringify(value));

describe('Rekor entry bodies: synthetic bodies of every supported kind', () => {
  it('hashedrekord 0.0.1 with a public key and sha384', () => {
    const logged = parseEntryBody(encode(bodies['hashedrekord/0.0.1']()));
    expect(logged.artifactDigest).toEqual({ algorithm: 'sha384', digest: new Uint8Array(48).fill(0xcd) });
    expect(logged.verifiers).toEqual([{ type: 'publicKey', der: SPKI }]);
    expect(logged.signatures).toEqual([SIG]);
  });

  it('hashedrekord 0.0.2 with a public key and SHA2_512', () => {
    const logged = parseEntryBody(encode(bodies['hashedrekord/0.0.2']()), { kind: 'hashedrekord', version: '0.0.2' });
    expect(logged.artifactDigest).toEqual({ algorithm: 'sha512', digest: new Uint8Array(64).fill(3) });
    expect(logged.verifiers).toEqual([{ type: 'publicKey', der: SPKI, keyDetails: 'PKIX_ECDSA_P256_SHA_256' }]);
  });

  it('dsse 0.0.1', () => {
    const logged = parseEntryBody(encode(bodies['dsse/0.0.1']()));
    expect(logged).toMatchObject({ kind: 'dsse', version: '0.0.1', signatures: [SIG], verifiers: [{ type: 'publicKey', der: SPKI }] });
    expect(toHex(logged.envelopeHash!.digest)).toBe(HASH_HEX);
  });

  it('dsse 0.0.2 with two signatures, paired with their verifiers', () => {
    const logged = parseEntryBody(encode(bodies['dsse/0.0.2']()));
    expect(logged.payloadHash).toEqual({ algorithm: 'sha256', digest: new Uint8Array(32).fill(9) });
    expect(logged.signatures).toEqual([SIG, SIG.slice().reverse()]);
    expect(logged.verifiers.map((v) => v.type)).toEqual(['publicKey', 'certificate']);
    expect(logged.envelopeHash).toBeUndefined();
  });

  it('intoto 0.0.1: the key but no signature; payloadHash optional', () => {
    const logged = parseEntryBody(encode(bodies['intoto/0.0.1']()));
    expect(logged.signatures).toEqual([]);
    expect(logged.verifiers).toEqual([{ type: 'publicKey', der: SPKI }]);
    expect(toHex(logged.payloadHash!.digest)).toBe('cd'.repeat(32));
    const old = bodies['intoto/0.0.1']();
    delete (old.spec.content as Partial<typeof old.spec.content>).payloadHash;
    expect(parseEntryBody(encode(old)).payloadHash).toBeUndefined();
  });

  it('intoto 0.0.2: the signature under two base64 layers', () => {
    const logged = parseEntryBody(encode(bodies['intoto/0.0.2']()));
    expect(logged.signatures).toEqual([SIG]);
    expect(logged.payloadType).toBe('application/vnd.in-toto+json');
  });

  it('takes the first certificate of a logged chain', () => {
    const body = bodies['hashedrekord/0.0.1']();
    const cert = (n: number) => `-----BEGIN CERTIFICATE-----\n${Buffer.alloc(40, n).toString('base64')}\n-----END CERTIFICATE-----\n`;
    body.spec.signature.publicKey.content = Buffer.from(cert(1) + cert(2)).toString('base64');
    expect(parseEntryBody(encode(body)).verifiers).toEqual([{ type: 'certificate', der: new Uint8Array(40).fill(1) }]);
  });
});

describe('Rekor entry bodies: errors', () => {
  it('refuses input that is not bytes, and a bad expected kind', () => {
    expectRekorError(() => parseEntryBody('{}' as never), 'REKOR_INPUT_INVALID');
    expectRekorError(() => parseEntryBody(encode(bodies['dsse/0.0.1']()), { kind: 'dsse' } as never), 'REKOR_INPUT_INVALID');
    expectRekorError(() => parseEntryBody(encode(bodies['dsse/0.0.1']()), null as never), 'REKOR_INPUT_INVALID');
  });

  it('reports a kind or version other than the bundle says', () => {
    const body = encode(bodies['dsse/0.0.1']());
    expectRekorError(() => parseEntryBody(body, { kind: 'intoto', version: '0.0.1' }), 'REKOR_KIND_MISMATCH');
    expectRekorError(() => parseEntryBody(body, { kind: 'dsse', version: '0.0.2' }), 'REKOR_KIND_MISMATCH');
  });

  it('quotes kinds from the bundle and the body with their control and format characters escaped', () => {
    const hostile = 'dsse\x1b[2K\r\u202eVerified OK\n';
    const mismatch = expectRekorError(() => parseEntryBody(encode(bodies['dsse/0.0.1']()), { kind: hostile, version: '0.0.1' }), 'REKOR_KIND_MISMATCH');
    const unknown = expectRekorError(() => parseEntryBody(encode({ kind: hostile, apiVersion: '0.0.1', spec: {} })), 'REKOR_UNSUPPORTED_KIND');
    for (const err of [mismatch, unknown]) {
      expect(err.message).not.toMatch(/[\x00-\x1f\u202e]/);
      expect(err.message).toContain('dsse\\u001b[2K\\u000d\\u202eVerified OK\\u000a');
    }
  });

  it('reports kinds it does not know', () => {
    for (const [kind, apiVersion] of [['rekord', '0.0.1'], ['hashedrekord', '0.0.3'], ['helm', '0.0.1'], ['__proto__', '0.0.1'], ['constructor', '']]) {
      expectRekorError(() => parseEntryBody(encode({ kind, apiVersion, spec: {} })), 'REKOR_UNSUPPORTED_KIND');
    }
  });

  it('refuses bodies that are not UTF-8 JSON objects, or too large', () => {
    expectRekorError(() => parseEntryBody(new Uint8Array([0xff, 0xfe])), 'REKOR_BODY_INVALID');
    expectRekorError(() => parseEntryBody(utf8('{"kind":')), 'REKOR_BODY_INVALID');
    expectRekorError(() => parseEntryBody(utf8('[]')), 'REKOR_BODY_INVALID');
    expectRekorError(() => parseEntryBody(utf8('null')), 'REKOR_BODY_INVALID');
    expectRekorError(() => parseEntryBody(new Uint8Array((4 << 20) + 1)), 'REKOR_BODY_INVALID');
    // Refused for its shape: the message names the limit, not "expected UTF-8 JSON".
    const deep = expectRekorError(() => parseEntryBody(utf8(`${'['.repeat(101)}${']'.repeat(101)}`)), 'REKOR_BODY_INVALID');
    expect(deep.message).toBe('entry body: expected JSON nested at most 100 levels deep, found deeper nesting at offset 100');
    const noKind = expectRekorError(() => parseEntryBody(utf8('{"apiVersion":"0.0.1","spec":{}}')), 'REKOR_BODY_INVALID');
    expect(noKind.details?.path).toBe('$.kind');
  });

  // [body, JSON path to break, replacement (undefined = delete)]
  const breakages: [BodyName, string, unknown][] = [
    ['hashedrekord/0.0.1', 'spec', 'x'],
    ['hashedrekord/0.0.1', 'spec.data.hash', undefined],
    ['hashedrekord/0.0.1', 'spec.data.hash.algorithm', 'md5'],
    ['hashedrekord/0.0.1', 'spec.data.hash.value', 'zz'],
    ['hashedrekord/0.0.1', 'spec.data.hash.value', 'cd'.repeat(32)],
    ['hashedrekord/0.0.1', 'spec.signature.content', undefined],
    ['hashedrekord/0.0.1', 'spec.signature.content', ''],
    ['hashedrekord/0.0.1', 'spec.signature.content', 'not base64!'],
    ['hashedrekord/0.0.1', 'spec.signature.content', 42],
    ['hashedrekord/0.0.1', 'spec.signature.publicKey.content', toB64(utf8('no pem here'))],
    ['hashedrekord/0.0.1', 'spec.signature.publicKey.content', toB64(new Uint8Array([0xc3, 0x28]))],
    ['hashedrekord/0.0.1', 'spec.signature.publicKey.content', toB64(utf8(KEY_PEM.replaceAll('PUBLIC KEY', 'EC PRIVATE KEY')))],
    ['hashedrekord/0.0.1', 'spec.signature.publicKey.content', toB64(utf8(KEY_PEM + KEY_PEM))],
    ['hashedrekord/0.0.2', 'spec.hashedRekordV002.data.algorithm', 'sha256'],
    ['hashedrekord/0.0.2', 'spec.hashedRekordV002.data.digest', toB64(new Uint8Array(32))],
    ['hashedrekord/0.0.2', 'spec.hashedRekordV002.signature.verifier.keyDetails', undefined],
    ['hashedrekord/0.0.2', 'spec.hashedRekordV002.signature.verifier.publicKey', undefined],
    ['hashedrekord/0.0.2', 'spec.hashedRekordV002.signature.verifier.x509Certificate', { rawBytes: toB64(SPKI) }],
    ['hashedrekord/0.0.2', 'spec.hashedRekordV002.signature.verifier.publicKey.rawBytes', ''],
    ['dsse/0.0.1', 'spec.signatures', []],
    ['dsse/0.0.1', 'spec.signatures', {}],
    ['dsse/0.0.1', 'spec.signatures', Array(65).fill({ signature: toB64(SIG), verifier: KEY_PEM_B64 })],
    ['dsse/0.0.1', 'spec.signatures.0', 'sig'],
    ['dsse/0.0.1', 'spec.signatures.0.verifier', undefined],
    ['dsse/0.0.1', 'spec.envelopeHash.algorithm', 'sha512'],
    ['dsse/0.0.1', 'spec.payloadHash', null],
    ['dsse/0.0.2', 'spec.dsseV002.payloadHash.algorithm', 'SHA2_384'],
    ['dsse/0.0.2', 'spec.dsseV002.signatures.1.content', undefined],
    ['intoto/0.0.1', 'spec.publicKey', undefined],
    ['intoto/0.0.1', 'spec.content.hash', undefined],
    ['intoto/0.0.1', 'spec.content.payloadHash.value', 'ab'],
    ['intoto/0.0.2', 'spec.content.payloadHash', undefined],
    ['intoto/0.0.2', 'spec.content.envelope.payloadType', 7],
    ['intoto/0.0.2', 'spec.content.envelope.signatures.0.sig', toB64(SIG)],
    ['intoto/0.0.2', 'spec.content.envelope.signatures.0.sig', toB64(utf8('  '))],
    ['intoto/0.0.2', 'spec.content.envelope.signatures.0.publicKey', undefined],
  ];
  for (const [name, path, value] of breakages) {
    it(`${name}: reports ${path} = ${JSON.stringify(value)?.slice(0, 30) ?? 'absent'} at its path`, () => {
      const body = structuredClone(bodies[name]()) as Record<string, unknown>;
      setPath(body, path, value);
      const err = expectRekorError(() => parseEntryBody(encode(body)), 'REKOR_BODY_INVALID');
      const where = String(err.details?.path).replace(/\[(\d+)\]/g, '.$1');
      expect(`$.${path}`.startsWith(where) || where.startsWith(`$.${path}`)).toBe(true);
    });
  }
});

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  const last = keys.pop()!;
  const parent = keys.reduce<any>((node, key) => node[key], target);
  if (value === undefined) delete parent[last];
  else parent[last] = value;
}
