import { describe, expect, it } from 'vitest';
import { importPublicKey } from '@sigil/crypto';
import { signedEntryTimestampPayload, verifySignedEntryTimestamp, type SignedEntryTimestampFields } from '../src/index.js';
import { b64, conformanceCases, corpusCases, expectRekorError, type BundleCase } from './fixtures.js';

function setFields({ entry }: BundleCase): SignedEntryTimestampFields {
  return {
    body: b64(entry.canonicalizedBody),
    integratedTime: BigInt(entry.integratedTime),
    logIndex: BigInt(entry.logIndex),
    logId: b64(entry.logId.keyId),
  };
}

const withPromise = corpusCases().filter((c) => c.entry.inclusionPromise);
const logKey = (c: BundleCase) => importPublicKey(b64(c.log.publicKey.rawBytes));
const setOf = (c: BundleCase) => b64(c.entry.inclusionPromise.signedEntryTimestamp);

describe('Rekor signed entry timestamps: real bundles', () => {
  it('covers the Rekor v1 bundles of the corpus', () => expect(withPromise.length).toBeGreaterThanOrEqual(30));

  for (const c of withPromise) {
    it(`${c.name}: the SET verifies with the trusted root's Rekor key; changed fields do not`, () => {
      const fields = setFields(c);
      expect(verifySignedEntryTimestamp(fields, setOf(c), logKey(c))).toBe(true);
      expect(verifySignedEntryTimestamp({ ...fields, integratedTime: fields.integratedTime + 1n }, setOf(c), logKey(c))).toBe(false);
      expect(verifySignedEntryTimestamp({ ...fields, logIndex: fields.logIndex + 1n }, setOf(c), logKey(c))).toBe(false);
      const body = fields.body.slice();
      body[body.length - 3]! ^= 1;
      expect(verifySignedEntryTimestamp({ ...fields, body }, setOf(c), logKey(c))).toBe(false);
    });
  }

  it('needs the global log index, not the inclusion proof one', () => {
    const sharded = withPromise.find((c) => c.entry.inclusionProof && c.entry.inclusionProof.logIndex !== c.entry.logIndex)!;
    const fields = { ...setFields(sharded), logIndex: BigInt(sharded.entry.inclusionProof.logIndex) };
    expect(verifySignedEntryTimestamp(fields, setOf(sharded), logKey(sharded))).toBe(false);
  });

  it('set-invalid-signature_fail (sigstore-conformance) does not verify', () => {
    const c = conformanceCases().find((x) => x.name === 'set-invalid-signature_fail')!;
    expect(verifySignedEntryTimestamp(setFields(c), setOf(c), logKey(c))).toBe(false);
  });

  it('a garbage signature is false, not an exception', () => {
    const c = withPromise[0]!;
    expect(verifySignedEntryTimestamp(setFields(c), new Uint8Array([1, 2, 3]), logKey(c))).toBe(false);
  });
});

describe('Rekor signed entry timestamps: the payload bytes', () => {
  const fields: SignedEntryTimestampFields = {
    body: new TextEncoder().encode('{"a":1}'),
    integratedTime: 1735689600n,
    logIndex: 123n,
    logId: new Uint8Array(32).fill(0xc0),
  };

  it('is JCS with numbers for the integers', () => {
    expect(new TextDecoder().decode(signedEntryTimestampPayload(fields))).toBe(
      `{"body":"eyJhIjoxfQ==","integratedTime":1735689600,"logID":"${'c0'.repeat(32)}","logIndex":123}`,
    );
  });

  it('keeps every digit of int64 values beyond 2^53', () => {
    const big = (1n << 63n) - 1n;
    const text = new TextDecoder().decode(signedEntryTimestampPayload({ ...fields, logIndex: big, integratedTime: 0n }));
    expect(text).toContain(`"integratedTime":0,`);
    expect(text).toContain(`"logIndex":9223372036854775807}`);
  });

  it('refuses malformed fields', () => {
    const bad = (patch: object) => () => signedEntryTimestampPayload({ ...fields, ...patch } as never);
    expectRekorError(bad({ body: 'text' }), 'REKOR_INPUT_INVALID');
    expectRekorError(bad({ body: new Uint8Array() }), 'REKOR_INPUT_INVALID');
    expectRekorError(bad({ integratedTime: 1735689600 }), 'REKOR_INPUT_INVALID');
    expectRekorError(bad({ integratedTime: -1n }), 'REKOR_INPUT_INVALID');
    expectRekorError(bad({ logIndex: 1n << 63n }), 'REKOR_INPUT_INVALID');
    expectRekorError(bad({ logId: new Uint8Array(31) }), 'REKOR_INPUT_INVALID');
    expectRekorError(bad({ logId: 'c0d23d' }), 'REKOR_INPUT_INVALID');
    expectRekorError(() => signedEntryTimestampPayload(null as never), 'REKOR_INPUT_INVALID');
    const key = logKey(withPromise[0]!);
    expectRekorError(() => verifySignedEntryTimestamp(fields, 'MEUCIQ' as never, key), 'REKOR_INPUT_INVALID');
    expectRekorError(() => verifySignedEntryTimestamp(fields, new Uint8Array(8), 'PEM' as never), 'REKOR_INPUT_INVALID');
  });
});
