import { describe, expect, it } from 'vitest';
import * as X from '@peculiar/asn1-x509';
import {
  parseCertificate,
  precheckIssuerSignatures,
  verifyCertificatePath,
  verifyCertificateSignature,
  verifyWithAlgorithm,
  X509Error,
  type Certificate,
  type PathOptions,
} from '../src/index.js';
import { buildCertificate, CODE_SIGNING, ext, fulcioLikeChain, generateKey, SERVER_AUTH, TIME_STAMPING, type SignatureKind } from './support/builder.js';
import { expectX509Error } from './support/expect-error.js';
import { b64, bundleLeaf, caChains, conformanceCase, corpusCase, corpusCases, trustedRoots } from './support/fixtures.js';

const codeSigning: PathOptions = { leafPurpose: 'codeSigning' };
const at = new Date('2026-01-01T00:05:00Z');
const parse = parseCertificate;

/** The CA chain of `root` that verifies `leaf` at its notBefore (the newest one for public-good). */
function chainFor(leaf: Certificate, root = trustedRoots.prod): Certificate[] {
  return caChains(root).find((chain) => {
    try {
      verifyCertificatePath(leaf, chain, leaf.notBefore, codeSigning);
      return true;
    } catch {
      return false;
    }
  })!;
}

describe('verifyCertificatePath on public-good certificates', () => {
  it.each(corpusCases.map((c) => [c.name, c] as const))('%s chains to its trusted root at notBefore, not after notAfter', (_, c) => {
    const leaf = bundleLeaf(c.bundle);
    const chains = caChains(c.trustedRoot);
    const chain = chains[chains.length - 1]!;
    const path = verifyCertificatePath(leaf, chain, leaf.notBefore, codeSigning);
    expect(path).toEqual([leaf, ...chain]);
    expect(verifyCertificatePath(leaf, chain, leaf.notAfter, codeSigning)).toHaveLength(3);
    expectX509Error(() => verifyCertificatePath(leaf, chain, new Date(leaf.notAfter.getTime() + 1000), codeSigning), 'X509_EXPIRED');
    expectX509Error(() => verifyCertificatePath(leaf, chain, new Date(leaf.notBefore.getTime() - 1), codeSigning), 'X509_NOT_YET_VALID');
  });

  it('fails with a swapped anchor: the other instance, or the 2021 root of the same name', () => {
    const prodLeaf = bundleLeaf(corpusCase('py-v02-prod-gha-wheel').bundle);
    const stagingLeaf = bundleLeaf(corpusCase('py-v03-staging-ghoauth').bundle);
    const [stagingChain] = caChains(trustedRoots.staging);
    const [oldRootChain, prodChain] = caChains(trustedRoots.prod);
    expectX509Error(() => verifyCertificatePath(prodLeaf, stagingChain!, prodLeaf.notBefore, codeSigning), 'X509_UNTRUSTED_ISSUER');
    expectX509Error(() => verifyCertificatePath(stagingLeaf, prodChain!, stagingLeaf.notBefore, codeSigning), 'X509_UNTRUSTED_ISSUER');
    expectX509Error(() => verifyCertificatePath(prodLeaf, oldRootChain!, prodLeaf.notBefore, codeSigning), 'X509_UNTRUSTED_ISSUER');
    // The prod intermediate under the 2021 root, which has the same name as the 2022 one.
    const [intermediate, newRoot] = prodChain!;
    expectX509Error(() => verifyCertificatePath(prodLeaf, [intermediate!, oldRootChain![0]!], prodLeaf.notBefore, codeSigning), 'X509_UNTRUSTED_ISSUER');
    expect(verifyCertificatePath(prodLeaf, [intermediate!, newRoot!], prodLeaf.notBefore, codeSigning)).toHaveLength(3);
    expectX509Error(() => verifyCertificatePath(prodLeaf, [], prodLeaf.notBefore, codeSigning), 'X509_UNTRUSTED_ISSUER');
  });

  it('never takes the leaf purpose of a code-signing certificate for time stamping', () => {
    const leaf = bundleLeaf(corpusCase('py-v02-prod-gha-wheel').bundle);
    expectX509Error(() => verifyCertificatePath(leaf, chainFor(leaf), leaf.notBefore, { leafPurpose: 'timeStamping' }), 'X509_MISSING_EKU');
  });

  it('remembers a verified signature only for the very same certificate bytes', () => {
    const c = corpusCase('py-v02-prod-gha-wheel');
    const der = b64(c.bundle.verificationMaterial.x509CertificateChain!.certificates[0]!.rawBytes);
    const chain = chainFor(parse(der));
    expect(verifyCertificatePath(parse(der), chain, parse(der).notBefore, codeSigning)).toHaveLength(3);
    // Verified once, a second parse of the same bytes passes again; a copy with one byte of
    // the signed part changed (same signature value) must still be checked, and fail.
    expect(verifyCertificatePath(parse(der), chain, parse(der).notBefore, codeSigning)).toHaveLength(3);
    const serialFlip = der.slice();
    serialFlip[15]! ^= 0x01;
    expectX509Error(() => verifyCertificatePath(parse(serialFlip), chain, parse(der).notBefore, codeSigning), 'X509_SIGNATURE_INVALID');
  });

  it('rejects a leaf whose bytes were flipped, with a typed error', () => {
    const c = corpusCase('py-v02-prod-gha-wheel');
    const der = b64(c.bundle.verificationMaterial.x509CertificateChain!.certificates[0]!.rawBytes);
    const chain = chainFor(parse(der));
    const sigFlip = der.slice();
    sigFlip[der.length - 10]! ^= 0x01;
    expectX509Error(() => verifyCertificatePath(parse(sigFlip), chain, parse(der).notBefore, codeSigning), 'X509_SIGNATURE_INVALID');
    let checked = 0;
    for (let i = 4; i < der.length; i += 7) {
      const bad = der.slice();
      bad[i]! ^= 0x20;
      let leaf: Certificate;
      try {
        leaf = parse(bad);
      } catch {
        continue; // X509_MALFORMED: parse.test.ts covers it
      }
      expect(() => verifyCertificatePath(leaf, chain, parse(der).notBefore, codeSigning)).toThrow(X509Error);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('bundle-with-root-cert_fail: a trusted root passed as the leaf is not a signing certificate', () => {
    const { bundle, trustedRoot } = conformanceCase('bundle-with-root-cert_fail');
    const chain = caChains(trustedRoot).at(-1)!;
    const root = chain.at(-1)!;
    expectX509Error(() => verifyCertificatePath(root, chain, root.notBefore, codeSigning), 'X509_LEAF_IS_CA');
    const leaf = bundleLeaf(bundle);
    expect(verifyCertificatePath(leaf, chain, leaf.notBefore, codeSigning)).toHaveLength(3);
  });

  it('intoto-expired-certificate_fail: the CA is expired when the leaf was issued', () => {
    const { bundle, trustedRoot } = conformanceCase('intoto-expired-certificate_fail');
    const leaf = bundleLeaf(bundle);
    expectX509Error(() => verifyCertificatePath(leaf, caChains(trustedRoot)[0]!, leaf.notBefore, codeSigning), 'X509_EXPIRED');
  });
});

describe('verifyCertificatePath rules, one broken at a time', () => {
  const chainOf = (c: ReturnType<typeof fulcioLikeChain>) => [parse(c.intermediate), parse(c.root)];

  it('accepts the well-formed chain, inclusive of both bounds', () => {
    const c = fulcioLikeChain();
    const leaf = parse(c.leaf);
    expect(verifyCertificatePath(leaf, chainOf(c), at, codeSigning)).toHaveLength(3);
    expect(verifyCertificatePath(leaf, chainOf(c), leaf.notBefore, codeSigning)).toHaveLength(3);
    expect(verifyCertificatePath(leaf, chainOf(c), leaf.notAfter, codeSigning)).toHaveLength(3);
    expectX509Error(() => verifyCertificatePath(leaf, chainOf(c), new Date(leaf.notAfter.getTime() + 1), codeSigning), 'X509_EXPIRED');
  });

  it('checks the validity of issuers too', () => {
    const c = fulcioLikeChain({ intermediate: { notAfter: new Date('2026-01-01T00:01:00Z') } });
    expectX509Error(() => verifyCertificatePath(parse(c.leaf), chainOf(c), at, codeSigning), 'X509_EXPIRED');
    const d = fulcioLikeChain({ root: { notBefore: new Date('2026-01-01T00:06:00Z') } });
    expectX509Error(() => verifyCertificatePath(parse(d.leaf), chainOf(d), at, codeSigning), 'X509_NOT_YET_VALID');
  });

  it('quotes names from certificates with their control and format characters escaped', () => {
    const hostile = 'x\x1b[2K\r\u202eVerified OK\n';
    const c = fulcioLikeChain();
    const leaf = buildCertificate({ subject: hostile, issuer: hostile, key: generateKey(), signer: c.intermediateKey, extensions: [ext.keyUsage('digitalSignature'), ext.extKeyUsage(false, CODE_SIGNING)] });
    const err = expectX509Error(() => verifyCertificatePath(parse(leaf), chainOf(c), at, codeSigning), 'X509_UNTRUSTED_ISSUER');
    expect(err.message).not.toMatch(/[\x00-\x1f\u202e]/);
    expect(err.message).toContain('x\\u001b[2K\\u000d\\u202eVerified OK\\u000a');
  });

  it('precheckIssuerSignatures never rejects, and leaves a bad signature for the path check to report', async () => {
    const c = fulcioLikeChain();
    await precheckIssuerSignatures(parse(c.leaf), chainOf(c));
    await precheckIssuerSignatures(parse(c.leaf), chainOf(c)); // remembered: not checked again
    expect(verifyCertificatePath(parse(c.leaf), chainOf(c), at, codeSigning)).toHaveLength(3);
    const forged = buildCertificate({ subject: 'leaf', issuer: 'test-intermediate', key: generateKey(), signer: generateKey('p384'), extensions: [ext.keyUsage('digitalSignature'), ext.extKeyUsage(false, CODE_SIGNING)] });
    await expect(precheckIssuerSignatures(parse(forged), chainOf(c))).resolves.toBeUndefined();
    await expect(precheckIssuerSignatures(parse(forged), [{} as Certificate])).resolves.toBeUndefined();
    expectX509Error(() => verifyCertificatePath(parse(forged), chainOf(c), at, codeSigning), 'X509_SIGNATURE_INVALID');
  });

  it('requires CA:TRUE and keyCertSign of issuers', () => {
    const noBc = fulcioLikeChain({ intermediate: { extensions: [ext.keyUsage('keyCertSign')] } });
    expectX509Error(() => verifyCertificatePath(parse(noBc.leaf), chainOf(noBc), at, codeSigning), 'X509_NOT_CA');
    const notCa = fulcioLikeChain({ intermediate: { extensions: [ext.basicConstraints(false), ext.keyUsage('keyCertSign')] } });
    expectX509Error(() => verifyCertificatePath(parse(notCa.leaf), chainOf(notCa), at, codeSigning), 'X509_NOT_CA');
    const noKu = fulcioLikeChain({ intermediate: { extensions: [ext.basicConstraints(true)] } });
    expectX509Error(() => verifyCertificatePath(parse(noKu.leaf), chainOf(noKu), at, codeSigning), 'X509_KEY_USAGE');
    const wrongKu = fulcioLikeChain({ intermediate: { extensions: [ext.basicConstraints(true), ext.keyUsage('digitalSignature', 'cRLSign')] } });
    expectX509Error(() => verifyCertificatePath(parse(wrongKu.leaf), chainOf(wrongKu), at, codeSigning), 'X509_KEY_USAGE');
  });

  it('respects path length constraints', () => {
    const c = fulcioLikeChain({ root: { extensions: [ext.basicConstraints(true, 0), ext.keyUsage('keyCertSign')] } });
    expectX509Error(() => verifyCertificatePath(parse(c.leaf), chainOf(c), at, codeSigning), 'X509_PATH_LENGTH');
    // A leaf directly under a pathlen:0 CA is fine.
    const direct = buildCertificate({
      subject: 'direct',
      issuer: 'test-root',
      key: generateKey(),
      signer: c.rootKey,
      signature: 'ecdsa-sha384',
      extensions: [ext.keyUsage('digitalSignature'), ext.extKeyUsage(false, CODE_SIGNING)],
    });
    expect(verifyCertificatePath(parse(direct), [parse(c.root)], at, codeSigning)).toHaveLength(2);
  });

  it('requires the leaf purpose, digitalSignature, and no CA:TRUE on the leaf', () => {
    const base = fulcioLikeChain();
    const variants: [Parameters<typeof ext.keyUsage>[0][], string[] | undefined, boolean, string][] = [
      [['digitalSignature'], undefined, false, 'X509_MISSING_EKU'],
      [['digitalSignature'], [SERVER_AUTH], false, 'X509_MISSING_EKU'],
      [['keyEncipherment'], [CODE_SIGNING], false, 'X509_KEY_USAGE'],
      [['digitalSignature'], [CODE_SIGNING], true, 'X509_LEAF_IS_CA'],
    ];
    for (const [ku, eku, ca, code] of variants) {
      const leaf = buildCertificate({
        subject: 'leaf',
        issuer: 'test-intermediate',
        key: generateKey(),
        signer: base.intermediateKey,
        extensions: [ext.keyUsage(...ku), ...(eku ? [ext.extKeyUsage(false, ...eku)] : []), ...(ca ? [ext.basicConstraints(true)] : [])],
      });
      expectX509Error(() => verifyCertificatePath(parse(leaf), chainOf(base), at, codeSigning), code as never);
    }
  });

  it('lets an issuer that restricts its key purposes restrict the leaf', () => {
    const c = fulcioLikeChain({
      intermediate: { extensions: [ext.basicConstraints(true, 0), ext.keyUsage('keyCertSign'), ext.extKeyUsage(false, SERVER_AUTH)] },
    });
    expectX509Error(() => verifyCertificatePath(parse(c.leaf), chainOf(c), at, codeSigning), 'X509_MISSING_EKU');
    const any = fulcioLikeChain({
      intermediate: { extensions: [ext.basicConstraints(true, 0), ext.keyUsage('keyCertSign'), ext.extKeyUsage(false, '2.5.29.37.0')] },
    });
    expect(verifyCertificatePath(parse(any.leaf), chainOf(any), at, codeSigning)).toHaveLength(3);
  });

  it('rejects unknown critical extensions anywhere in the path, such as the CT poison', () => {
    const poison = ext.raw('1.3.6.1.4.1.11129.2.4.3', Uint8Array.of(5, 0), true);
    const c = fulcioLikeChain();
    const leaf = buildCertificate({
      subject: 'precert',
      issuer: 'test-intermediate',
      key: generateKey(),
      signer: c.intermediateKey,
      extensions: [ext.keyUsage('digitalSignature'), ext.extKeyUsage(false, CODE_SIGNING), poison],
    });
    expectX509Error(() => verifyCertificatePath(parse(leaf), chainOf(c), at, codeSigning), 'X509_UNKNOWN_CRITICAL_EXTENSION');
    const d = fulcioLikeChain({ root: { extensions: [ext.basicConstraints(true), ext.keyUsage('keyCertSign'), ext.raw('1.2.3.4', Uint8Array.of(5, 0), true)] } });
    expectX509Error(() => verifyCertificatePath(parse(d.leaf), chainOf(d), at, codeSigning), 'X509_UNKNOWN_CRITICAL_EXTENSION');
    const nonCritical = fulcioLikeChain({ root: { extensions: [ext.basicConstraints(true), ext.keyUsage('keyCertSign'), ext.raw('1.2.3.4', Uint8Array.of(5, 0))] } });
    expect(verifyCertificatePath(parse(nonCritical.leaf), chainOf(nonCritical), at, codeSigning)).toHaveLength(3);
  });

  it('tells an impostor issuer (same name, other key) from a bad signature', () => {
    const c = fulcioLikeChain();
    const impostorKey = generateKey('p384');
    // Same name, no key identifiers: it is the issuer by name, so the signature decides.
    const signedByImpostor = buildCertificate({
      subject: 'leaf',
      issuer: 'test-intermediate',
      key: generateKey(),
      signer: impostorKey,
      signature: 'ecdsa-sha384',
      extensions: [ext.keyUsage('digitalSignature'), ext.extKeyUsage(false, CODE_SIGNING)],
    });
    expectX509Error(() => verifyCertificatePath(parse(signedByImpostor), chainOf(c), at, codeSigning), 'X509_SIGNATURE_INVALID');
    // With an authority key id that names another key, the intermediate is not its issuer.
    const otherAki = buildCertificate({
      subject: 'leaf',
      issuer: 'test-intermediate',
      key: generateKey(),
      signer: impostorKey,
      signature: 'ecdsa-sha384',
      extensions: [ext.keyUsage('digitalSignature'), ext.extKeyUsage(false, CODE_SIGNING), ext.authorityKeyId(impostorKey)],
    });
    expectX509Error(() => verifyCertificatePath(parse(otherAki), chainOf(c), at, codeSigning), 'X509_UNTRUSTED_ISSUER');
  });

  it('uses only the trusted chain: the anchor must be reached', () => {
    const c = fulcioLikeChain();
    // Without the root, the intermediate has no issuer and is not the anchor itself... unless it is last.
    expect(verifyCertificatePath(parse(c.leaf), [parse(c.intermediate)], at, codeSigning)).toHaveLength(2);
    expectX509Error(() => verifyCertificatePath(parse(c.leaf), [parse(c.root)], at, codeSigning), 'X509_UNTRUSTED_ISSUER');
    // A chain listed out of order still ends at the anchor, found by name.
    const other = fulcioLikeChain();
    expectX509Error(() => verifyCertificatePath(parse(c.leaf), [parse(c.intermediate), parse(other.root)], at, codeSigning), 'X509_UNTRUSTED_ISSUER');
  });

  it('validates time stamping leaves as RFC 3161 asks (one critical EKU)', () => {
    const c = fulcioLikeChain({ intermediate: { extensions: [ext.basicConstraints(true, 0), ext.keyUsage('keyCertSign')] } });
    const tsa = (critical: boolean, ...ekus: string[]) =>
      parse(
        buildCertificate({
          subject: 'tsa',
          issuer: 'test-intermediate',
          key: generateKey(),
          signer: c.intermediateKey,
          signature: 'ecdsa-sha384',
          extensions: [ext.keyUsage('digitalSignature'), ext.extKeyUsage(critical, ...ekus)],
        }),
      );
    const options: PathOptions = { leafPurpose: 'timeStamping' };
    expect(verifyCertificatePath(tsa(true, TIME_STAMPING), chainOf(c), at, options)).toHaveLength(3);
    expectX509Error(() => verifyCertificatePath(tsa(false, TIME_STAMPING), chainOf(c), at, options), 'X509_MISSING_EKU');
    expectX509Error(() => verifyCertificatePath(tsa(true, TIME_STAMPING, CODE_SIGNING), chainOf(c), at, options), 'X509_MISSING_EKU');
    expectX509Error(() => verifyCertificatePath(tsa(true, TIME_STAMPING), chainOf(c), at, codeSigning), 'X509_MISSING_EKU');
  });

  it('rejects unusable arguments with X509_INVALID_ARGUMENT', () => {
    const c = fulcioLikeChain();
    expectX509Error(() => verifyCertificatePath(parse(c.leaf), chainOf(c), new Date(Number.NaN), codeSigning), 'X509_INVALID_ARGUMENT');
    expectX509Error(() => verifyCertificatePath(parse(c.leaf), chainOf(c), at, { leafPurpose: 'serverAuth' as never }), 'X509_INVALID_ARGUMENT');
  });
});

describe('verifyCertificateSignature', () => {
  it.each<[SignatureKind, Parameters<typeof generateKey>[0]]>([
    ['ecdsa-sha256', 'p256'],
    ['ecdsa-sha384', 'p256'],
    ['ecdsa-sha512', 'p521'],
    ['rsa-sha256', 'rsa'],
    ['rsa-pss-sha256', 'rsa'],
    ['ed25519', 'ed25519'],
  ])('verifies %s by a %s issuer, and nothing else', (signature, keyType) => {
    const issuer = generateKey(keyType);
    const other = generateKey(keyType);
    const cert = parse(buildCertificate({ subject: 'x', key: generateKey(), signer: issuer, signature }));
    const selfSignature: SignatureKind = keyType === 'ed25519' ? 'ed25519' : keyType === 'rsa' ? 'rsa-sha256' : 'ecdsa-sha256';
    const issuerCert = parse(buildCertificate({ subject: 'issuer', key: issuer, signature: selfSignature }));
    const otherCert = parse(buildCertificate({ subject: 'other', key: other, signature: selfSignature }));
    expect(verifyCertificateSignature(cert, issuerCert.publicKey)).toBe(true);
    expect(verifyCertificateSignature(cert, otherCert.publicKey)).toBe(false);
    // A key of another type never verifies.
    const ecKey = parse(buildCertificate({ subject: 'ec', key: generateKey() })).publicKey;
    if (keyType !== 'p256' && keyType !== 'p521') expect(verifyCertificateSignature(cert, ecKey)).toBe(false);
  });

  it('refuses algorithms it does not support, typed', () => {
    const issuer = generateKey('rsa');
    const cert = parse(buildCertificate({ subject: 'x', key: generateKey(), signer: issuer, signature: 'rsa-sha1' }));
    expectX509Error(() => verifyCertificateSignature(cert, parse(buildCertificate({ subject: 'i', key: issuer, signature: 'rsa-sha256' })).publicKey), 'X509_UNSUPPORTED_ALGORITHM');
    const key = cert.publicKey;
    expectX509Error(() => verifyWithAlgorithm(key, { oid: '1.2.840.113549.1.1.10' }, new Uint8Array(1), new Uint8Array(1)), 'X509_UNSUPPORTED_ALGORITHM');
    expectX509Error(() => verifyWithAlgorithm(key, { oid: '1.2.840.113549.1.1.10', params: Uint8Array.of(0x30, 0) }, new Uint8Array(1), new Uint8Array(1)), 'X509_UNSUPPORTED_ALGORITHM');
    // A bare key-type OID needs the digest algorithm (CMS).
    expectX509Error(() => verifyWithAlgorithm(key, { oid: '1.2.840.10045.2.1' }, new Uint8Array(1), new Uint8Array(1)), 'X509_UNSUPPORTED_ALGORITHM');
    expect(verifyWithAlgorithm(key, { oid: '1.2.840.10045.2.1' }, new Uint8Array(1), new Uint8Array(1), 'sha256')).toBe(false);
  });

  it('verifies the Fulcio intermediate over a real leaf', () => {
    const leaf = bundleLeaf(corpusCase('js-v03-intoto').bundle);
    const [intermediate, root] = caChains(trustedRoots.prod)[1]!;
    expect(verifyCertificateSignature(leaf, intermediate!.publicKey)).toBe(true);
    expect(verifyCertificateSignature(leaf, root!.publicKey)).toBe(false);
    expect(verifyCertificateSignature(intermediate!, root!.publicKey)).toBe(true);
  });

  it('keeps X.Name import in use for the builder', () => {
    expect(new X.Name([])).toHaveLength(0);
  });
});
