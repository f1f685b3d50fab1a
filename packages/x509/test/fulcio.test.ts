import { describe, expect, it } from 'vitest';
import * as X from '@peculiar/asn1-x509';
import { certificateIdentity, FULCIO_EXTENSIONS, findFulcioExtension, fulcioExtensions, parseCertificate } from '../src/index.js';
import { buildCertificate, ext, generateKey, hexBytes, type ExtensionSpec } from './support/builder.js';
import { expectX509Error } from './support/expect-error.js';
import { bundleLeaf, conformanceCase, corpusCase, corpusCases } from './support/fixtures.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
const utf8String = (text: string) => Uint8Array.of(0x0c, utf8(text).length, ...utf8(text));
const key = generateKey();
const certWith = (...extensions: ExtensionSpec[]) => parseCertificate(buildCertificate({ subject: 'x', key, extensions }));

describe('FULCIO_EXTENSIONS and findFulcioExtension', () => {
  it('lists .1.1-.1.6 as raw and .1.8-.1.24 as UTF8String, without .1.7', () => {
    expect(FULCIO_EXTENSIONS).toHaveLength(23);
    for (const entry of FULCIO_EXTENSIONS) {
      const n = Number(entry.oid.split('.').pop());
      expect(entry.oid).toBe(`1.3.6.1.4.1.57264.1.${n}`);
      expect(entry.encoding).toBe(n <= 6 ? 'raw' : 'utf8String');
      expect(n).not.toBe(7);
    }
    expect(new Set(FULCIO_EXTENSIONS.map((e) => e.name)).size).toBe(23);
  });

  it.each(['Source Repository URI', 'sourceRepositoryURI', 'source-repository-uri', '1.3.6.1.4.1.57264.1.12', ' SOURCE_REPOSITORY_URI '])(
    'finds the Source Repository URI extension as %j',
    (query) => {
      expect(findFulcioExtension(query)?.oid).toBe('1.3.6.1.4.1.57264.1.12');
    },
  );

  it('finds deprecated and V2 issuers, and nothing for unknown names', () => {
    expect(findFulcioExtension('issuer')?.oid).toBe('1.3.6.1.4.1.57264.1.1');
    expect(findFulcioExtension('Issuer (V2)')?.oid).toBe('1.3.6.1.4.1.57264.1.8');
    expect(findFulcioExtension('issuer-v2')?.name).toBe('issuerV2');
    expect(findFulcioExtension('GitHub Workflow SHA')?.oid).toBe('1.3.6.1.4.1.57264.1.3');
    expect(findFulcioExtension('GitHub Workflow SHA (deprecated)')?.oid).toBe('1.3.6.1.4.1.57264.1.3');
    expect(findFulcioExtension('token-subject')?.oid).toBe('1.3.6.1.4.1.57264.1.24');
    expect(findFulcioExtension('1.3.6.1.4.1.57264.1.7')).toBeUndefined();
    expect(findFulcioExtension('source repository')).toBeUndefined();
    expect(findFulcioExtension(42 as unknown as string)).toBeUndefined();
  });
});

describe('fulcioExtensions', () => {
  it('decodes a GitHub Actions leaf', () => {
    const leaf = bundleLeaf(corpusCase('py-v02-prod-gha-wheel').bundle);
    const sha = 'd8b4a6445f38c48b9137a8099706d9b8073146e4';
    const workflow = 'https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2';
    expect(fulcioExtensions(leaf)).toEqual({
      issuer: 'https://token.actions.githubusercontent.com',
      githubWorkflowTrigger: 'release',
      githubWorkflowSHA: sha,
      githubWorkflowName: 'release',
      githubWorkflowRepository: 'trailofbits/rfc8785.py',
      githubWorkflowRef: 'refs/tags/v0.1.2',
      issuerV2: 'https://token.actions.githubusercontent.com',
      buildSignerURI: workflow,
      buildSignerDigest: sha,
      runnerEnvironment: 'github-hosted',
      sourceRepositoryURI: 'https://github.com/trailofbits/rfc8785.py',
      sourceRepositoryDigest: sha,
      sourceRepositoryRef: 'refs/tags/v0.1.2',
      sourceRepositoryIdentifier: '768213997',
      sourceRepositoryOwnerURI: 'https://github.com/trailofbits',
      sourceRepositoryOwnerIdentifier: '2314423',
      buildConfigURI: workflow,
      buildConfigDigest: sha,
      buildTrigger: 'release',
      runInvocationURI: 'https://github.com/trailofbits/rfc8785.py/actions/runs/8351058501/attempts/1',
      sourceRepositoryVisibilityAtSigning: 'public',
    });
  });

  it('decodes a reusable-workflow (SLSA generator) leaf, where signer and config differ', () => {
    const ext = fulcioExtensions(bundleLeaf(corpusCase('slsa-gradle-v2.1.0').bundle));
    expect(ext.buildSignerURI).toBe('https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_lowperms-generic_slsa3.yml@refs/tags/v2.1.0');
    expect(ext.buildConfigURI).toMatch(/^https:\/\/github\.com\/slsa-framework\/example-package\/\.github\/workflows\//);
    expect(ext.sourceRepositoryURI).toBe('https://github.com/slsa-framework/example-package');
  });

  it('returns only the e-mail leaf issuer extensions', () => {
    const ext = fulcioExtensions(bundleLeaf(corpusCase('js-v03-intoto').bundle));
    expect(Object.keys(ext).sort()).toEqual(['issuer', 'issuerV2']);
  });

  it('throws X509_EXTENSION_MALFORMED for raw bytes where a UTF8String belongs, and for bad UTF-8', () => {
    expectX509Error(() => fulcioExtensions(certWith(ext.raw('1.3.6.1.4.1.57264.1.8', utf8('https://issuer')))), 'X509_EXTENSION_MALFORMED');
    expectX509Error(() => fulcioExtensions(certWith(ext.raw('1.3.6.1.4.1.57264.1.12', Uint8Array.of(0x0c, 5, 0x61)))), 'X509_EXTENSION_MALFORMED');
    expectX509Error(() => fulcioExtensions(certWith(ext.raw('1.3.6.1.4.1.57264.1.12', Uint8Array.of(0x13, 1, 0x61)))), 'X509_EXTENSION_MALFORMED');
    expectX509Error(() => fulcioExtensions(certWith(ext.raw('1.3.6.1.4.1.57264.1.12', concatTrailing(utf8String('a'))))), 'X509_EXTENSION_MALFORMED');
    expectX509Error(() => fulcioExtensions(certWith(ext.raw('1.3.6.1.4.1.57264.1.1', Uint8Array.of(0xc3, 0x28)))), 'X509_EXTENSION_MALFORMED');
    expectX509Error(() => fulcioExtensions(certWith(ext.raw('1.3.6.1.4.1.57264.1.9', utf8String('\u00e9').map((b, i) => (i === 2 ? 0xff : b))))), 'X509_EXTENSION_MALFORMED');
  });
});

function concatTrailing(bytes: Uint8Array): Uint8Array {
  return Uint8Array.of(...bytes, 0);
}

describe('certificateIdentity', () => {
  it.each(corpusCases.map((c) => [c.name, c] as const))('%s: matches the identity and issuer of case.json', (_, c) => {
    const identity = certificateIdentity(bundleLeaf(c.bundle));
    expect(identity.san).toBe(c.meta.identity);
    expect(identity.issuer).toBe(c.meta.issuer);
    expect(identity.sanType).toBe(c.meta.identity.includes('://') ? 'uri' : 'email');
  });

  it('reads the conformance beacon identity', () => {
    const identity = certificateIdentity(bundleLeaf(conformanceCase('happy-path-v0.3').bundle));
    expect(identity).toEqual({
      san: 'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main',
      sanType: 'uri',
      issuer: 'https://token.actions.githubusercontent.com',
    });
  });

  it('reads a Sigstore OtherName SAN, falls back to the .1.1 issuer, and prefers .1.8', () => {
    const otherName = ext.san(new X.GeneralName({ otherName: new X.OtherName({ typeId: '1.3.6.1.4.1.57264.1.7', value: hexBytes('0c056f63746f63').slice().buffer }) }));
    expect(certificateIdentity(certWith(otherName, ext.raw('1.3.6.1.4.1.57264.1.1', utf8('https://old'))))).toEqual({
      san: 'octoc',
      sanType: 'otherName',
      issuer: 'https://old',
    });
    expect(certificateIdentity(certWith(otherName, ext.raw('1.3.6.1.4.1.57264.1.1', utf8('https://old')), ext.raw('1.3.6.1.4.1.57264.1.8', utf8String('https://new')))).issuer).toBe('https://new');
    expect(certificateIdentity(certWith(otherName)).issuer).toBeUndefined();
  });

  it('requires exactly one SAN', () => {
    expectX509Error(() => certificateIdentity(certWith()), 'X509_IDENTITY_INVALID');
    const two = ext.san(new X.GeneralName({ rfc822Name: 'a@example.com' }), new X.GeneralName({ uniformResourceIdentifier: 'https://example.com' }));
    expectX509Error(() => certificateIdentity(certWith(two)), 'X509_IDENTITY_INVALID');
  });
});
