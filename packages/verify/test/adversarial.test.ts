import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64, utf8Decode, utf8Encode } from '@sigil/encoding';
import { TrustMaterial } from '@sigil/trust';
import { Verifier, type VerificationErrorCode } from '../src/index.js';
import { loadCorpusCase, type CorpusCase } from './corpus.js';
import { clone, flipBase64, getAt, setAt, type Json } from './mutate.js';

// Deliberate tampering with real bundles: each attack must fail with the code of the check
// that catches it, not merely fail.
const message = loadCorpusCase('java-pkix-ecdsa-p256'); // v0.3, hashedrekord, SET + proof + checkpoint
const dsse = loadCorpusCase('js-v02-dsse'); // v0.2, dsse, SET + proof + checkpoint
const setOnly = loadCorpusCase('js-v01-dsse-no-proof'); // v0.1, dsse, SET only
const rekorV2 = loadCorpusCase('java-rekor2-prod-dsse'); // v0.3, Rekor v2 hashedrekord over DSSE, RFC 3161
const other = loadCorpusCase('java-v02-prod-google-b');

const ENTRY = 'verificationMaterial.tlogEntries.0';

async function codeOf(c: CorpusCase, bundle: Json, trust: TrustMaterial = c.trust): Promise<string | undefined> {
  try {
    await new Verifier(trust).verify(JSON.stringify(bundle), c.artifact, c.policy);
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

async function expectCode(c: CorpusCase, bundle: Json, code: VerificationErrorCode | string, trust?: TrustMaterial) {
  expect(await codeOf(c, bundle, trust)).toBe(code);
}

function withRoot(c: CorpusCase, edit: (root: Json) => void): TrustMaterial {
  const root = clone(c.trustedRootJson) as Json;
  edit(root);
  return TrustMaterial.fromJson(root);
}

const certPath = (c: CorpusCase) =>
  getAt(c.bundleJson, 'verificationMaterial.certificate') ? 'verificationMaterial.certificate.rawBytes' : 'verificationMaterial.x509CertificateChain.certificates.0.rawBytes';

describe('untampered bundles verify', () => {
  it.each([message, dsse, setOnly, rekorV2, other])('$name', async (c) => {
    expect(await codeOf(c, c.bundleJson)).toBeUndefined();
  });
});

describe('flipped bytes', () => {
  it('in the message signature', () => expectCode(message, flipBase64(message.bundleJson, 'messageSignature.signature'), 'VERIFY_SIGNATURE_INVALID'));
  it('in the DSSE signature', () => expectCode(dsse, flipBase64(dsse.bundleJson, 'dsseEnvelope.signatures.0.sig'), 'VERIFY_SIGNATURE_INVALID'));
  it('in the DSSE payload', () => expectCode(dsse, flipBase64(dsse.bundleJson, 'dsseEnvelope.payload'), 'VERIFY_SIGNATURE_INVALID'));
  it('in the certificate signature (the key still signs, but the log names another certificate)', () =>
    expectCode(message, flipBase64(message.bundleJson, certPath(message), (n) => n - 3), 'VERIFY_TLOG_BODY_MISMATCH'));
  it('in the entry body (re-encoded so it still parses and matches)', async () => {
    const body = utf8Decode(decodeBase64(getAt(message.bundleJson, `${ENTRY}.canonicalizedBody`)));
    await expectCode(message, setAt(message.bundleJson, `${ENTRY}.canonicalizedBody`, encodeBase64(utf8Encode(` ${body}`))), 'VERIFY_TLOG_SET_INVALID');
  });
  it('in the signed entry timestamp', () => expectCode(message, flipBase64(message.bundleJson, `${ENTRY}.inclusionPromise.signedEntryTimestamp`), 'VERIFY_TLOG_SET_INVALID'));
  it('in an inclusion proof hash', () => expectCode(message, flipBase64(message.bundleJson, `${ENTRY}.inclusionProof.hashes.0`), 'VERIFY_TLOG_PROOF_INVALID'));
  it('in the inclusion proof root hash', () => expectCode(message, flipBase64(message.bundleJson, `${ENTRY}.inclusionProof.rootHash`), 'VERIFY_TLOG_CHECKPOINT_INVALID'));
  it('in the checkpoint signature', async () => {
    const note: string = getAt(message.bundleJson, `${ENTRY}.inclusionProof.checkpoint.envelope`);
    const line = note.trimEnd().split('\n').pop()!;
    const sig = line.split(' ').pop()!;
    const flipped = flipBase64({ s: sig }, 's').s as string;
    await expectCode(message, setAt(message.bundleJson, `${ENTRY}.inclusionProof.checkpoint.envelope`, note.replace(sig, flipped)), 'VERIFY_TLOG_CHECKPOINT_INVALID');
  });
  it('in the checkpoint tree size', async () => {
    const note: string = getAt(message.bundleJson, `${ENTRY}.inclusionProof.checkpoint.envelope`);
    const [origin, size, ...rest] = note.split('\n');
    await expectCode(message, setAt(message.bundleJson, `${ENTRY}.inclusionProof.checkpoint.envelope`, [origin, String(Number(size) + 1), ...rest].join('\n')), 'VERIFY_TLOG_CHECKPOINT_INVALID');
  });
  it('in the RFC 3161 timestamp', () =>
    expectCode(rekorV2, flipBase64(rekorV2.bundleJson, 'verificationMaterial.timestampVerificationData.rfc3161Timestamps.0.signedTimestamp', (n) => n - 10), 'VERIFY_TIMESTAMP_INVALID'));
});

describe('changed numbers', () => {
  it('the integrated time (covered by the SET)', async () => {
    const t = BigInt(getAt(setOnly.bundleJson, `${ENTRY}.integratedTime`));
    await expectCode(setOnly, setAt(setOnly.bundleJson, `${ENTRY}.integratedTime`, String(t + 60n)), 'VERIFY_TLOG_SET_INVALID');
  });
  it('the log index (covered by the SET)', async () => {
    const i = BigInt(getAt(setOnly.bundleJson, `${ENTRY}.logIndex`));
    await expectCode(setOnly, setAt(setOnly.bundleJson, `${ENTRY}.logIndex`, String(i + 1n)), 'VERIFY_TLOG_SET_INVALID');
  });
  it('the inclusion proof index', async () => {
    const i = BigInt(getAt(message.bundleJson, `${ENTRY}.inclusionProof.logIndex`));
    await expectCode(message, setAt(message.bundleJson, `${ENTRY}.inclusionProof.logIndex`, String(i + 1n)), 'VERIFY_TLOG_PROOF_INVALID');
  });
});

describe('missing parts', () => {
  it('a v0.1 bundle without its SET', () => expectCode(setOnly, setAt(setOnly.bundleJson, `${ENTRY}.inclusionPromise`, undefined), 'VERIFY_TLOG_SET_MISSING'));
  it('a v0.2 bundle without its inclusion proof', () => expectCode(dsse, setAt(dsse.bundleJson, `${ENTRY}.inclusionProof`, undefined), 'VERIFY_TLOG_PROOF_MISSING'));
  it('a Rekor v2 entry without its inclusion proof', () => expectCode(rekorV2, setAt(rekorV2.bundleJson, `${ENTRY}.inclusionProof`, undefined), 'VERIFY_TLOG_PROOF_MISSING'));
  it('a Rekor v2 bundle without its timestamp', () =>
    expectCode(rekorV2, setAt(rekorV2.bundleJson, 'verificationMaterial.timestampVerificationData', undefined), 'VERIFY_TIMESTAMP_MISSING'));
  it('no log entry at all', () => expectCode(message, setAt(message.bundleJson, 'verificationMaterial.tlogEntries', []), 'VERIFY_TLOG_MISSING'));
});

describe('swapped and duplicated entries', () => {
  it('an entry from another bundle', async () => {
    const swapped = setAt(message.bundleJson, 'verificationMaterial.tlogEntries', getAt(other.bundleJson, 'verificationMaterial.tlogEntries'));
    await expectCode(message, swapped, 'VERIFY_TLOG_BODY_MISMATCH');
  });
  it('the same entry twice', async () => {
    const entries = getAt(message.bundleJson, 'verificationMaterial.tlogEntries');
    await expectCode(message, setAt(message.bundleJson, 'verificationMaterial.tlogEntries', [...entries, ...entries]), 'VERIFY_TLOG_DUPLICATE');
  });
  it('the signature of another bundle', async () => {
    await expectCode(message, setAt(message.bundleJson, 'messageSignature.signature', getAt(other.bundleJson, 'messageSignature.signature')), 'VERIFY_SIGNATURE_INVALID');
  });
});

describe('times outside validity windows', () => {
  const before = (iso: string) => new Date(new Date(iso).getTime() - 1000).toISOString();
  const integrated = (c: CorpusCase) => new Date(Number(getAt(c.bundleJson, `${ENTRY}.integratedTime`)) * 1000).toISOString();

  it('the CA window ends before the signing time', async () => {
    const trust = withRoot(message, (root) => {
      for (const ca of root.certificateAuthorities) ca.validFor.end = before(integrated(message));
    });
    await expectCode(message, message.bundleJson, 'VERIFY_CERTIFICATE_UNTRUSTED', trust);
  });
  it('the log key starts after the integrated time', async () => {
    const trust = withRoot(message, (root) => {
      for (const log of root.tlogs) log.publicKey.validFor.start = new Date(Date.parse(integrated(message)) + 1000).toISOString();
    });
    await expectCode(message, message.bundleJson, 'VERIFY_TLOG_KEY_NOT_VALID', trust);
  });
  it('the log key window ends exactly at the integrated time (inclusive: still valid)', async () => {
    const trust = withRoot(message, (root) => {
      for (const log of root.tlogs) log.publicKey.validFor.end = integrated(message);
    });
    expect(await codeOf(message, message.bundleJson, trust)).toBeUndefined();
  });
  it('a log key without a start is never valid', async () => {
    const trust = withRoot(message, (root) => {
      for (const log of root.tlogs) delete log.publicKey.validFor.start;
    });
    await expectCode(message, message.bundleJson, 'VERIFY_TLOG_KEY_NOT_VALID', trust);
  });
  it('the CT log key is not valid at the SCT time', async () => {
    const trust = withRoot(message, (root) => {
      for (const log of root.ctlogs) log.publicKey.validFor.end = '2000-01-01T00:00:00Z';
    });
    await expectCode(message, message.bundleJson, 'VERIFY_SCT_MISSING', trust);
  });
  it('the TSA window ends before the timestamp', async () => {
    const trust = withRoot(rekorV2, (root) => {
      for (const tsa of root.timestampAuthorities) tsa.validFor.end = '2001-01-01T00:00:00Z';
    });
    await expectCode(rekorV2, rekorV2.bundleJson, 'VERIFY_TIMESTAMP_INVALID', trust);
  });
  it('a trusted root without CT logs cannot vouch for the certificate', async () => {
    const trust = withRoot(message, (root) => {
      root.ctlogs = [];
    });
    await expectCode(message, message.bundleJson, 'VERIFY_SCT_MISSING', trust);
  });
});
