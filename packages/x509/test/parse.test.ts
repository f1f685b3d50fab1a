import { describe, expect, it } from 'vitest';
import { AsnConvert } from '@peculiar/asn1-schema';
import * as X from '@peculiar/asn1-x509';
import { encodeHex } from '@sigil/encoding';
import { parseCertificate, X509Error, type Certificate } from '../src/index.js';
import { buildCertificate, ext, generateKey, hexBytes } from './support/builder.js';
import { expectX509Error } from './support/expect-error.js';
import { b64, bundleCertificatesDer, corpusCase, corpusCases, trustedRoots } from './support/fixtures.js';

const allCertificates: [string, Uint8Array][] = [
  ...corpusCases.flatMap((c) => bundleCertificatesDer(c.bundle).map((der, i): [string, Uint8Array] => [`${c.name}#${i}`, der])),
  ...Object.entries(trustedRoots).flatMap(([root, json]) =>
    [...json.certificateAuthorities, ...(json.timestampAuthorities ?? [])].flatMap((ca, i) =>
      ca.certChain.certificates.map((c, j): [string, Uint8Array] => [`${root} authority ${i} cert ${j}`, b64(c.rawBytes)]),
    ),
  ),
];

const gha = (): Uint8Array => bundleCertificatesDer(corpusCase('py-v02-prod-gha-wheel').bundle)[0]!;

describe('parseCertificate on real certificates', () => {
  // @peculiar/asn1-x509 is the oracle: every field Sigil reads must agree with it.
  it.each(allCertificates)('%s agrees with @peculiar/asn1-x509', (_, der) => {
    const cert = parseCertificate(der);
    const oracle = AsnConvert.parse(der, X.Certificate);
    const tbs = oracle.tbsCertificate;
    expect(cert.der).toEqual(der);
    expect(cert.tbsDer).toEqual(new Uint8Array(oracle.tbsCertificateRaw!));
    expect(cert.version).toBe(tbs.version + 1);
    expect(cert.serialNumber).toBe(encodeHex(new Uint8Array(tbs.serialNumber)));
    expect(cert.signatureAlgorithm).toBe(oracle.signatureAlgorithm.algorithm);
    expect(cert.signatureValue).toEqual(new Uint8Array(oracle.signatureValue));
    expect(cert.issuerDer).toEqual(new Uint8Array(AsnConvert.serialize(tbs.issuer)));
    expect(cert.subjectDer).toEqual(new Uint8Array(AsnConvert.serialize(tbs.subject)));
    expect(cert.spkiDer).toEqual(new Uint8Array(AsnConvert.serialize(tbs.subjectPublicKeyInfo)));
    expect(cert.notBefore).toEqual(tbs.validity.notBefore.getTime());
    expect(cert.notAfter).toEqual(tbs.validity.notAfter.getTime());
    expect(cert.extensions.map((e) => [e.oid, e.critical, encodeHex(e.value)])).toEqual(
      (tbs.extensions ?? []).map((e) => [e.extnID, e.critical, encodeHex(new Uint8Array(e.extnValue.buffer))]),
    );
    const sanExt = tbs.extensions?.find((e) => e.extnID === X.id_ce_subjectAltName);
    const oracleSans = sanExt ? AsnConvert.parse(sanExt.extnValue, X.SubjectAlternativeName) : [];
    expect(cert.subjectAltNames.map((s) => s.value)).toEqual(oracleSans.map((g) => g.uniformResourceIdentifier ?? g.rfc822Name));
    const bc = tbs.extensions?.find((e) => e.extnID === X.id_ce_basicConstraints);
    if (bc) {
      const parsed = AsnConvert.parse(bc.extnValue, X.BasicConstraints);
      expect(cert.basicConstraints).toEqual(parsed.pathLenConstraint === undefined ? { ca: parsed.cA } : { ca: parsed.cA, pathLength: parsed.pathLenConstraint });
    } else {
      expect(cert.basicConstraints).toBeUndefined();
    }
    const eku = tbs.extensions?.find((e) => e.extnID === X.id_ce_extKeyUsage);
    expect(cert.extendedKeyUsage).toEqual(eku ? [...AsnConvert.parse(eku.extnValue, X.ExtendedKeyUsage)] : undefined);
    const aki = tbs.extensions?.find((e) => e.extnID === X.id_ce_authorityKeyIdentifier);
    const akiParsed = aki && AsnConvert.parse(aki.extnValue, X.AuthorityKeyIdentifier).keyIdentifier;
    expect(cert.authorityKeyId).toEqual(akiParsed ? new Uint8Array(akiParsed.buffer) : undefined);
  });

  it('reads a GitHub Actions leaf completely', () => {
    const cert = parseCertificate(gha());
    expect(cert.issuer).toBe('O=sigstore.dev, CN=sigstore-intermediate');
    expect(cert.subject).toBe('');
    expect(cert.signatureAlgorithm).toBe('1.2.840.10045.4.3.3');
    expect(cert.notAfter.getTime() - cert.notBefore.getTime()).toBe(10 * 60 * 1000);
    expect([...cert.keyUsage!]).toEqual(['digitalSignature']);
    expect(cert.extendedKeyUsage).toEqual(['1.3.6.1.5.5.7.3.3']);
    expect(cert.subjectAltNames).toEqual([
      { type: 'uri', value: 'https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2' },
    ]);
    expect(cert.subjectKeyId).toHaveLength(20);
    expect(cert.extensions.filter((e) => e.critical).map((e) => e.oid)).toEqual(['2.5.29.15', '2.5.29.17']);
    expect(cert.publicKey).toMatchObject({ kind: 'ecdsa', curve: 'P-256' });
    expect(cert.publicKey).toBe(cert.publicKey);
  });

  it('reads the key types Sigstore leaves carry', () => {
    expect(parseCertificate(bundleCertificatesDer(corpusCase('java-pkix-rsa2048').bundle)[0]!).publicKey).toMatchObject({ kind: 'rsa', bits: 2048 });
    expect(parseCertificate(bundleCertificatesDer(corpusCase('java-pkix-ecdsa-p521').bundle)[0]!).publicKey).toMatchObject({ curve: 'P-521' });
    const root = parseCertificate(b64(trustedRoots.prod.certificateAuthorities[1]!.certChain.certificates[1]!.rawBytes));
    expect(root.publicKey).toMatchObject({ kind: 'ecdsa', curve: 'P-384' });
    expect(root.basicConstraints).toEqual({ ca: true });
    expect(root.issuerDer).toEqual(root.subjectDer);
  });

});

describe('parseCertificate on bad input', () => {
  it('rejects what is not bytes, and oversized input', () => {
    expectX509Error(() => parseCertificate('MIIB' as unknown as Uint8Array), 'X509_MALFORMED');
    expectX509Error(() => parseCertificate(undefined as unknown as Uint8Array), 'X509_MALFORMED');
    expectX509Error(() => parseCertificate(new Uint8Array(70_000)), 'X509_MALFORMED');
    expectX509Error(() => parseCertificate(new Uint8Array(0)), 'X509_MALFORMED');
  });

  it('rejects trailing bytes', () => {
    expectX509Error(() => parseCertificate(Uint8Array.of(...gha(), 0)), 'X509_MALFORMED');
  });

  it('rejects every truncation', () => {
    const der = gha();
    for (let n = 0; n < der.length; n++) expectX509Error(() => parseCertificate(der.subarray(0, n)), 'X509_MALFORMED');
  });

  it('turns every single-byte corruption into a certificate or X509_MALFORMED, never another error', () => {
    const der = gha();
    let rejected = 0;
    for (let i = 0; i < der.length; i++) {
      for (const mask of [0x01, 0x80, 0xff]) {
        const bad = der.slice();
        bad[i]! ^= mask;
        try {
          const cert = parseCertificate(bad);
          void cert.issuer;
        } catch (err) {
          expect(err).toBeInstanceOf(X509Error);
          expect((err as X509Error).code).toBe('X509_MALFORMED');
          rejected++;
        }
      }
    }
    expect(rejected).toBeGreaterThan(100);
  });

  it('rejects BER indefinite lengths and non-minimal lengths', () => {
    const der = gha();
    // 30 82 LL LL ... -> 30 80 ... 00 00
    const indefinite = Uint8Array.of(0x30, 0x80, ...der.subarray(4), 0, 0);
    expectX509Error(() => parseCertificate(indefinite), 'X509_MALFORMED');
    const nonMinimal = Uint8Array.of(0x30, 0x83, 0x00, ...der.subarray(2));
    expectX509Error(() => parseCertificate(nonMinimal), 'X509_MALFORMED');
  });

  it('rejects a signature algorithm that differs inside and outside the TBS', () => {
    const key = generateKey();
    const der = buildCertificate({ subject: 'x', key, outerSignatureOid: '1.2.840.10045.4.3.3' });
    expectX509Error(() => parseCertificate(der), 'X509_MALFORMED');
  });

  it('rejects duplicate extensions and malformed standard extensions', () => {
    const key = generateKey();
    const twice = buildCertificate({ subject: 'x', key, extensions: [ext.keyUsage('digitalSignature'), ext.keyUsage('keyCertSign')] });
    expectX509Error(() => parseCertificate(twice), 'X509_MALFORMED');
    for (const oid of ['2.5.29.19', '2.5.29.15', '2.5.29.37', '2.5.29.17', '2.5.29.14', '2.5.29.35']) {
      const bad = buildCertificate({ subject: 'x', key, extensions: [ext.raw(oid, hexBytes('0c0161'))] });
      expectX509Error(() => parseCertificate(bad), 'X509_MALFORMED');
    }
    const notDerBoolean = buildCertificate({ subject: 'x', key, extensions: [ext.raw('2.5.29.19', hexBytes('30030101'.concat('01')))] });
    expectX509Error(() => parseCertificate(notDerBoolean), 'X509_MALFORMED');
    const emptySan = buildCertificate({ subject: 'x', key, extensions: [ext.raw('2.5.29.17', hexBytes('3000'))] });
    expectX509Error(() => parseCertificate(emptySan), 'X509_MALFORMED');
  });

  it('decodes every SAN type it knows and skips the others', () => {
    const key = generateKey();
    const der = buildCertificate({
      subject: 'x',
      key,
      extensions: [
        ext.san(
          new X.GeneralName({ dNSName: 'example.com' }),
          new X.GeneralName({ iPAddress: '192.0.2.1' }),
          new X.GeneralName({ iPAddress: '2001:db8::1' }),
          new X.GeneralName({ registeredID: '1.2.3' }),
          new X.GeneralName({ otherName: new X.OtherName({ typeId: '1.3.6.1.4.1.57264.1.7', value: hexBytes('0c056f63746f63').slice().buffer }) }),
          new X.GeneralName({ otherName: new X.OtherName({ typeId: '1.2.3.4', value: hexBytes('0401ff').slice().buffer }) }),
        ),
      ],
    });
    expect(parseCertificate(der).subjectAltNames).toEqual([
      { type: 'dns', value: 'example.com' },
      { type: 'ip', value: '192.0.2.1' },
      { type: 'ip', value: '2001:db8::1' },
      { type: 'otherName', value: 'octoc', oid: '1.3.6.1.4.1.57264.1.7' },
      { type: 'otherName', value: '0401ff', oid: '1.2.3.4' },
    ]);
  });

  it('imports the public key lazily and types its failures', () => {
    const k1 = buildCertificate({ subject: 'k1', key: generateKey('secp256k1') });
    const cert: Certificate = parseCertificate(k1);
    expect(cert.subject).toBe('CN=k1');
    expectX509Error(() => cert.publicKey, 'X509_UNSUPPORTED_ALGORITHM');
    // A P-256 SPKI whose point is not on the curve: structurally fine, rejected on import.
    const der = buildCertificate({ subject: 'bad-point', key: generateKey('p256') });
    const point = encodeHex(parseCertificate(der).spkiDer).slice(-128);
    const broken = hexBytes(encodeHex(der).replace(point, '11'.repeat(64)));
    expectX509Error(() => parseCertificate(broken).publicKey, 'X509_MALFORMED');
  });
});
