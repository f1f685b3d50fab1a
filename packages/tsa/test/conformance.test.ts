// The timestamp part of every sigstore-conformance bundle and corpus bundle that carries
// an RFC 3161 timestamp: the accept/reject decision the READMEs describe.
import { describe, expect, it } from 'vitest';
import { verifyCertificatePath, X509Error, type Certificate } from '@sigil/x509';
import { parseTimestampToken, verifyTimestampToken, type TsaErrorCode } from '../src/index.js';
import { expectTsaError } from './support/expect-error.js';
import { authorities, bundleLeaf, caChains, conformanceCase, conformanceCaseNames, corpusCases, signedTimestamps, timestampedData } from './support/fixtures.js';

// Cases whose timestamp itself must be rejected, and why.
const REJECTED: Record<string, TsaErrorCode> = {
  // The trusted root's TSA validFor ends before genTime.
  'rekor2-timestamp-outside-trust-root-tsa-validity_fail': 'TSA_OUTSIDE_VALIDITY',
  // The TSA certificate chain had expired when the timestamp was issued.
  'rekor2-timestamp-outside-tsa-cert-validity_fail': 'TSA_CHAIN_INVALID',
  // A valid timestamp, but over another bundle's signature.
  'rekor2-timestamp-payload-mismatch_fail': 'TSA_IMPRINT_MISMATCH',
  // FreeTSA, which the trusted root does not list, with and without its certificates embedded.
  'rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail': 'TSA_UNTRUSTED_SIGNER',
  'rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail': 'TSA_UNTRUSTED_SIGNER',
};

// Cases whose timestamp is valid but lies outside the signing certificate's lifetime: the
// bundle is rejected by the leaf check at that time, not by the TSA check.
const OUTSIDE_LEAF_LIFETIME = ['rekor2-timestamp-with-incorrect-time_fail', 'intoto-tsa-timestamp-outside-cert-validity_fail'];

const timestamped = conformanceCaseNames().filter((name) => {
  try {
    return signedTimestamps(conformanceCase(name).bundle).length > 0;
  } catch {
    return false; // bundle-malformed-json_fail
  }
});

describe('sigstore-conformance timestamps', () => {
  it('covers every rekor2-timestamp-* case', () => {
    const names = conformanceCaseNames().filter((name) => name.startsWith('rekor2-timestamp-'));
    expect(names).toHaveLength(9);
    for (const name of names) expect(timestamped).toContain(name);
  });

  it.each(timestamped)('%s', (name) => {
    const { bundle, trustedRoot } = conformanceCase(name);
    const [der] = signedTimestamps(bundle);
    const token = parseTimestampToken(der!);
    const run = () => verifyTimestampToken(token, { data: timestampedData(bundle), authorities: authorities(trustedRoot) });
    const expected = REJECTED[name];
    if (expected) {
      const err = expectTsaError(run, expected);
      if (expected === 'TSA_CHAIN_INVALID') expect(err.details?.x509Code).toBe('X509_EXPIRED');
      return;
    }
    const result = run();
    expect(result).toEqual({ genTime: token.genTime, authority: 0 });
    if (!bundle.verificationMaterial.certificate && !bundle.verificationMaterial.x509CertificateChain) return; // managed keys
    // The verified genTime is what the bundle's leaf must be valid at.
    const leaf = bundleLeaf(bundle);
    const leafValidAtGenTime = caChains(trustedRoot).some((chain) => verifiesAt(leaf, chain, result.genTime));
    expect(leafValidAtGenTime).toBe(!OUTSIDE_LEAF_LIFETIME.includes(name));
  });

  it('trust-root-tsa-validity-end-inclusive: genTime equal to validFor.end is accepted', () => {
    const { bundle, trustedRoot } = conformanceCase('trust-root-tsa-validity-end-inclusive');
    const token = parseTimestampToken(signedTimestamps(bundle)[0]!);
    const [authority] = authorities(trustedRoot);
    expect(authority!.validFor.end).toEqual(token.genTime);
    const nudged = { ...authority!, validFor: { ...authority!.validFor, end: new Date(token.genTime.getTime() - 1) } };
    expectTsaError(() => verifyTimestampToken(token, { data: timestampedData(bundle), authorities: [nudged] }), 'TSA_OUTSIDE_VALIDITY');
  });

  it('rekor2-timestamp-without-embedded-cert: the authority leaf signs when nothing is embedded', () => {
    const { bundle, trustedRoot } = conformanceCase('rekor2-timestamp-without-embedded-cert');
    const token = parseTimestampToken(signedTimestamps(bundle)[0]!);
    expect(token.embeddedCertificates).toHaveLength(0);
    expect(verifyTimestampToken(token, { data: timestampedData(bundle), authorities: authorities(trustedRoot) }).authority).toBe(0);
  });

  it('rekor2-timestamp-with-expired-cert-chain: the chain is checked at genTime, not now', () => {
    const { bundle, trustedRoot } = conformanceCase('rekor2-timestamp-with-expired-cert-chain');
    const token = parseTimestampToken(signedTimestamps(bundle)[0]!);
    const [authority] = authorities(trustedRoot);
    expect(authority!.certChain.every((cert) => cert.notAfter.getTime() < Date.now())).toBe(true);
    expect(verifyTimestampToken(token, { data: timestampedData(bundle), authorities: [authority!] }).genTime).toEqual(token.genTime);
  });
});

describe('corpus timestamps', () => {
  const cases = corpusCases.filter((c) => signedTimestamps(c.bundle).length > 0);

  it('finds the three timestamped corpus bundles', () => {
    expect(cases.map((c) => c.name).sort()).toEqual(['java-rekor2-prod-dsse', 'java-tsa-staging', 'py-rekor2-staging-hashedrekord']);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s verifies, and only over its own signature', (_, c) => {
    const token = parseTimestampToken(signedTimestamps(c.bundle)[0]!);
    const data = timestampedData(c.bundle);
    expect(verifyTimestampToken(token, { data, authorities: authorities(c.trustedRoot) })).toEqual({ genTime: token.genTime, authority: 0 });
    const other = data.slice();
    other[0]! ^= 1;
    expectTsaError(() => verifyTimestampToken(token, { data: other, authorities: authorities(c.trustedRoot) }), 'TSA_IMPRINT_MISMATCH');
    const wrongInstance = c.meta.trustedRoot === 'prod' ? 'staging' : 'prod';
    const otherRoot = corpusCases.find((x) => x.meta.trustedRoot === wrongInstance)!.trustedRoot;
    expectTsaError(() => verifyTimestampToken(token, { data, authorities: authorities(otherRoot) }), 'TSA_UNTRUSTED_SIGNER');
    expectTsaError(() => verifyTimestampToken(token, { data, authorities: [] }), 'TSA_UNTRUSTED_SIGNER');
  });
});

function verifiesAt(leaf: Certificate, chain: Certificate[], at: Date): boolean {
  try {
    verifyCertificatePath(leaf, chain, at, { leafPurpose: 'codeSigning' });
    return true;
  } catch (err) {
    if (!(err instanceof X509Error)) throw err;
    return false;
  }
}
