import { describe, expect, it } from 'vitest';
import { parseBundle, serializeBundle, type Bundle } from '@sigil/bundle';
import { sha256 } from '@sigil/crypto';
import { utf8Encode, encodeHex } from '@sigil/encoding';
import { verifyConsistencyProof, parseCheckpoint } from '@sigil/merkle';
import { TrustMaterial } from '@sigil/trust';
import { artifactFromBytes, artifactFromDigests, certificateIdentity, PolicyError, VerificationError, Verifier } from '@sigil/verify';
import { fulcioExtensions, parseCertificate } from '@sigil/x509';
import { createVirtualSigstore, defaultGitlabClaims, toBundleEntry } from '../src/index.js';
import { stackErrorCode } from './support/stack-error.js';

const ISSUER = 'https://oidc.local';
const SAN = 'https://gitlab.local/my-group/my-project//.gitlab-ci.yml@refs/heads/main';
const identity = { san: { type: 'uri' as const, value: SAN }, issuer: ISSUER, extensions: { sourceRepositoryURI: 'https://gitlab.local/my-group/my-project' } };
const policy = (options: Parameters<typeof certificateIdentity>[0] = { identity: SAN, issuer: ISSUER }) => ({ identities: [certificateIdentity(options)] });

function leafOf(bundle: Record<string, unknown>) {
  const parsed = parseBundle(JSON.stringify(bundle));
  if (parsed.verificationMaterial.content.$case !== 'certificate') throw new Error('expected a certificate');
  return parseCertificate(parsed.verificationMaterial.content.certificate);
}

describe('createVirtualSigstore', () => {
  const sigstore = createVirtualSigstore();
  const verifier = new Verifier(TrustMaterial.fromJson(sigstore.trustedRootJson));

  it('signs an artifact into a v0.3 bundle the verifier accepts', async () => {
    const artifact = utf8Encode('hello, sigil\n');
    const bundle = sigstore.signBlob({ artifact, identity });
    const parsed = parseBundle(JSON.stringify(bundle));
    expect(parsed.version).toBe('0.3');
    expect(parsed.verificationMaterial.tlogEntries[0]!.kindVersion).toEqual({ kind: 'hashedrekord', version: '0.0.1' });
    const result = await verifier.verify(JSON.stringify(bundle), artifactFromBytes(artifact), policy());
    expect(result.signer?.identity).toBe(SAN);
    expect(result.signer?.issuer).toBe(ISSUER);
    expect(result.tlogEntries[0]!.logUrl).toBe('https://rekor.local');
  });

  it('signs a digest only', async () => {
    const digest = sha256(utf8Encode('a large artifact, hashed elsewhere'));
    const bundle = sigstore.signBlob({ digest: { sha256: digest }, identity });
    expect((await verifier.verify(JSON.stringify(bundle), artifactFromDigests(new Map([['sha256', digest]])), policy())).signer?.identity).toBe(SAN);
    await expect(verifier.verify(JSON.stringify(bundle), artifactFromBytes(utf8Encode('other')), policy())).rejects.toThrow(VerificationError);
  });

  it('signs an in-toto statement into a DSSE bundle', async () => {
    const artifact = utf8Encode('package contents');
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'pkg.tgz', digest: { sha256: encodeHex(sha256(artifact)) } }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: { buildDefinition: { buildType: 'https://example.com/build/v1' } },
    };
    const bundle = sigstore.signDsse({ statement, identity });
    const parsed = parseBundle(JSON.stringify(bundle));
    expect(parsed.content.$case).toBe('dsseEnvelope');
    expect(parsed.verificationMaterial.tlogEntries[0]!.kindVersion).toEqual({ kind: 'dsse', version: '0.0.1' });
    expect((await verifier.verify(JSON.stringify(bundle), artifactFromBytes(artifact), policy())).signer?.identity).toBe(SAN);
  });

  it('keeps one log: older entries prove against newer checkpoints', async () => {
    const own = createVirtualSigstore({ treeId: 42n });
    const ownVerifier = new Verifier(TrustMaterial.fromJson(own.trustedRootJson));
    const artifacts = Array.from({ length: 7 }, (_, i) => utf8Encode(`artifact ${i}`));
    const bundles = artifacts.map((artifact) => own.signBlob({ artifact, identity }));
    for (const [i, bundle] of bundles.entries()) {
      const entry = parseBundle(JSON.stringify(bundle)).verificationMaterial.tlogEntries[0]!;
      expect(entry.logIndex).toBe(BigInt(i));
      expect(entry.inclusionProof!.treeSize).toBe(BigInt(i + 1));
      await ownVerifier.verify(JSON.stringify(bundle), artifactFromBytes(artifacts[i]!), policy());
    }
    // Re-read every entry against the tree head of size 7, as `GET /api/v1/log/entries?logIndex=` would.
    for (const [i, bundle] of bundles.entries()) {
      const parsed = parseBundle(JSON.stringify(bundle));
      const fresh: Bundle = { ...parsed, verificationMaterial: { ...parsed.verificationMaterial, tlogEntries: [toBundleEntry(own.rekor.entry(BigInt(i)))] } };
      expect(fresh.verificationMaterial.tlogEntries[0]!.inclusionProof!.treeSize).toBe(7n);
      expect(parseCheckpoint(fresh.verificationMaterial.tlogEntries[0]!.inclusionProof!.checkpoint!).origin).toBe('rekor.local - 42');
      await ownVerifier.verify(JSON.stringify(serializeBundle(fresh)), artifactFromBytes(artifacts[i]!), policy());
    }
    const first = parseBundle(JSON.stringify(bundles[2])).verificationMaterial.tlogEntries[0]!.inclusionProof!;
    verifyConsistencyProof({ size1: 3n, size2: 7n, root1: first.rootHash, root2: own.rekor.treeHead().rootHash, proof: own.rekor.consistencyProof(3n) });
  });

  it('maps GitLab claims the way Fulcio does and verifies against them', async () => {
    const claims = defaultGitlabClaims({ project: 'acme/tools/cli', ref: 'v1.2.0', refType: 'tag', pipelineSource: 'web', sha: 'a'.repeat(40) });
    const artifact = utf8Encode('cli-1.2.0.tgz');
    const bundle = sigstore.signBlob({ artifact, identity: { gitlab: claims } });
    const san = 'https://gitlab.com/acme/tools/cli//.gitlab-ci.yml@refs/tags/v1.2.0';
    const extensions = fulcioExtensions(leafOf(bundle));
    expect(extensions).toMatchObject({
      issuer: 'https://gitlab.com',
      issuerV2: 'https://gitlab.com',
      buildSignerURI: san,
      sourceRepositoryURI: 'https://gitlab.com/acme/tools/cli',
      sourceRepositoryRef: 'refs/tags/v1.2.0',
      sourceRepositoryDigest: 'a'.repeat(40),
      sourceRepositoryOwnerURI: 'https://gitlab.com/acme/tools',
      buildConfigURI: san,
      runnerEnvironment: 'gitlab-hosted',
      buildTrigger: 'web',
      runInvocationURI: 'https://gitlab.com/acme/tools/cli/-/jobs/302',
      sourceRepositoryVisibilityAtSigning: 'public',
      tokenSubject: 'project_path:acme/tools/cli:ref_type:tag:ref:v1.2.0',
    });
    expect(extensions.deploymentEnvironment).toBeUndefined();
    const result = await verifier.verify(
      JSON.stringify(bundle),
      artifactFromBytes(artifact),
      policy({
        identity: san,
        issuer: 'https://gitlab.com',
        extensions: { sourceRepositoryURI: 'https://gitlab.com/acme/tools/cli', 'Source Repository Ref': 'refs/tags/v1.2.0', buildTrigger: 'web' },
      }),
    );
    expect(result.signer?.extensions.runnerEnvironment).toBe('gitlab-hosted');
  });

  it('fails the policy for another identity, issuer or extension value', async () => {
    const artifact = utf8Encode('x');
    const bundle = JSON.stringify(sigstore.signBlob({ artifact, identity }));
    const failure = async (options: Parameters<typeof certificateIdentity>[0]) => {
      try {
        await verifier.verify(bundle, artifactFromBytes(artifact), policy(options));
      } catch (err) {
        expect(err).toBeInstanceOf(PolicyError);
        return (err as PolicyError).code;
      }
      throw new Error('expected a policy failure');
    };
    expect(await failure({ identity: `${SAN}x`, issuer: ISSUER })).toBe('POLICY_IDENTITY_MISMATCH');
    expect(await failure({ identity: SAN, issuer: 'https://gitlab.com' })).toBe('POLICY_ISSUER_MISMATCH');
    expect(await failure({ identity: SAN, issuer: ISSUER, extensions: { sourceRepositoryURI: 'https://gitlab.local/other' } })).toBe('POLICY_EXTENSION_MISMATCH');
  });

  it('dates the certificate, SCT and log entry at the requested time', async () => {
    const time = new Date('2026-03-01T12:00:00.750Z');
    const own = createVirtualSigstore({ validFrom: new Date('2026-01-01T00:00:00Z') });
    const artifact = utf8Encode('dated');
    const bundle = own.signBlob({ artifact, identity, time });
    const leaf = leafOf(bundle);
    expect(leaf.notBefore.toISOString()).toBe('2026-03-01T12:00:00.000Z');
    expect(leaf.notAfter.toISOString()).toBe('2026-03-01T12:10:00.000Z');
    expect(parseBundle(JSON.stringify(bundle)).verificationMaterial.tlogEntries[0]!.integratedTime).toBe(BigInt(Date.parse('2026-03-01T12:00:00Z') / 1000));
    expect((await new Verifier(TrustMaterial.fromJson(own.trustedRootJson)).verify(JSON.stringify(bundle), artifactFromBytes(artifact), policy())).signer?.identity).toBe(SAN);
    // Before the trusted root's validFor: the log key was not valid yet.
    const early = own.signBlob({ artifact, identity, time: new Date('2025-12-31T00:00:00Z') });
    await expect(new Verifier(TrustMaterial.fromJson(own.trustedRootJson)).verify(JSON.stringify(early), artifactFromBytes(artifact), policy())).rejects.toThrow(VerificationError);
  });

  it('writes a trusted root with every key valid from the start given', async () => {
    const validFrom = new Date('2025-06-01T00:00:00Z');
    const root = createVirtualSigstore({ validFrom }).trustedRootJson as Record<string, any>;
    expect(root.mediaType).toBe('application/vnd.dev.sigstore.trustedroot+json;version=0.1');
    expect(root.tlogs[0].baseUrl).toBe('https://rekor.local');
    expect(root.ctlogs[0].baseUrl).toBe('https://ctfe.local');
    expect(root.certificateAuthorities[0].uri).toBe('https://fulcio.local');
    expect(root.certificateAuthorities[0].certChain.certificates).toHaveLength(2);
    for (const start of [root.tlogs[0].publicKey.validFor.start, root.ctlogs[0].publicKey.validFor.start, root.certificateAuthorities[0].validFor.start]) {
      expect(new Date(start).toISOString()).toBe('2025-06-01T00:00:00.000Z');
    }
  });

  it('rejects malformed requests with typed errors', async () => {
    const code = stackErrorCode;
    expect(code(() => sigstore.signBlob({ identity } as never))).toBe('STACK_INPUT_INVALID');
    expect(code(() => sigstore.signBlob({ digest: { sha256: new Uint8Array(31) }, identity }))).toBe('STACK_INPUT_INVALID');
    expect(code(() => sigstore.signBlob({ artifact: utf8Encode('a'), digest: { sha256: sha256(utf8Encode('b')) }, identity }))).toBe('STACK_INPUT_INVALID');
    expect(code(() => sigstore.signBlob({ artifact: utf8Encode('a'), identity, time: new Date(Number.NaN) }))).toBe('STACK_INPUT_INVALID');
    expect(code(() => sigstore.signBlob(null as never))).toBe('STACK_INPUT_INVALID');
    expect(code(() => sigstore.signBlob({ artifact: utf8Encode('a'), identity: null as never }))).toBe('STACK_INPUT_INVALID');
    expect(code(() => sigstore.signBlob({ artifact: utf8Encode('a'), identity: { ...identity, extensions: { nope: 'x' } as never } }))).toBe('STACK_EXTENSION_UNKNOWN');
    expect(code(() => sigstore.signBlob({ artifact: utf8Encode('a'), identity: { gitlab: { iss: 'https://gitlab.com' } } }))).toBe('STACK_CLAIM_MISSING');
    expect(code(() => sigstore.signDsse({ statement: undefined, identity }))).toBe('STACK_INPUT_INVALID');
    expect(code(() => sigstore.signDsse({ statement: { n: 1n }, identity }))).toBe('STACK_INPUT_INVALID');
    expect(code(() => sigstore.signDsse(null as never))).toBe('STACK_INPUT_INVALID');
    expect(code(() => createVirtualSigstore({ validFrom: 'yesterday' as never }))).toBe('STACK_INPUT_INVALID');
  });
});
