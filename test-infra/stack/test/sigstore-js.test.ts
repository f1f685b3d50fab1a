// An independent client: stock sigstore-js (@sigstore/verify, as bench/ installs it) must
// accept what the stack makes, checking certificate chain, SCT, SET, inclusion proof and checkpoint.
import { describe, expect, it } from 'vitest';
import { sha256 } from '@sigil/crypto';
import { parseBundle, serializeBundle, type Bundle } from '@sigil/bundle';
import { decodeBase64, encodeBase64, encodeHex, utf8Encode } from '@sigil/encoding';
import { createVirtualSigstore, defaultGitlabClaims, toBundleEntry } from '../src/index.js';

type SigstoreJsVerify = (bundleText: string, artifact: Buffer | undefined, identity: string, issuer: string) => unknown;

const adapter = new URL('../../../bench/verify/sigstore-js.mjs', import.meta.url).href;
const { createSigstoreJsVerifier } = (await import(/* @vite-ignore */ adapter)) as { createSigstoreJsVerifier: (root: unknown) => SigstoreJsVerify };

const ISSUER = 'https://oidc.local';
const SAN = 'signer@example.com';
const identity = { san: { type: 'email' as const, value: SAN }, issuer: ISSUER };

describe('sigstore-js verifies the stack\'s bundles', () => {
  const sigstore = createVirtualSigstore();
  const verify = createSigstoreJsVerifier(sigstore.trustedRootJson);

  it('a message signature, and not for another identity, issuer or artifact', () => {
    const artifact = utf8Encode('checked by sigstore-js\n');
    const bundle = JSON.stringify(sigstore.signBlob({ artifact, identity }));
    expect(verify(bundle, Buffer.from(artifact), SAN, ISSUER)).toMatchObject({ identity: { subjectAlternativeName: SAN } });
    expect(() => verify(bundle, Buffer.from(artifact), 'someone@example.com', ISSUER)).toThrow();
    expect(() => verify(bundle, Buffer.from(artifact), SAN, 'https://other.local')).toThrow();
    expect(() => verify(bundle, Buffer.from('tampered'), SAN, ISSUER)).toThrow();
  });

  it('a DSSE attestation signed from GitLab claims, older entries with newer checkpoints', () => {
    const claims = defaultGitlabClaims({ project: 'acme/app' });
    const san = `https://${claims.ci_config_ref_uri as string}`;
    const statement = (name: string) => ({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name, digest: { sha256: encodeHex(sha256(utf8Encode(name))) } }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: {},
    });
    const bundles = ['a', 'b', 'c'].map((name) => JSON.stringify(sigstore.signDsse({ statement: statement(name), identity: { gitlab: claims } })));
    for (const bundle of bundles) verify(bundle, undefined, san, 'https://gitlab.com');
    // The first entry re-read against the current tree head.
    const first = parseBundle(bundles[0]!);
    const reread: Bundle = { ...first, verificationMaterial: { ...first.verificationMaterial, tlogEntries: [toBundleEntry(sigstore.rekor.entry(first.verificationMaterial.tlogEntries[0]!.logIndex))] } };
    expect(reread.verificationMaterial.tlogEntries[0]!.inclusionProof!.treeSize).toBe(sigstore.rekor.size);
    verify(JSON.stringify(serializeBundle(reread)), undefined, san, 'https://gitlab.com');
  });

  it('rejects a tampered SET, checkpoint signature or inclusion proof (they are checked)', () => {
    const artifact = utf8Encode('y');
    sigstore.signBlob({ artifact: utf8Encode('an earlier entry'), identity });
    const json = sigstore.signBlob({ artifact, identity });
    const entry = (json.verificationMaterial as { tlogEntries: Record<string, any>[] }).tlogEntries[0]!;
    const variant = (edit: (e: Record<string, any>) => void) => {
      const copy = structuredClone(json);
      edit((copy.verificationMaterial as { tlogEntries: Record<string, any>[] }).tlogEntries[0]!);
      return JSON.stringify(copy);
    };
    const flip = (b64: string) => encodeBase64(decodeBase64(b64).map((byte, i) => (i === 10 ? byte ^ 1 : byte)));
    expect(() => verify(variant((e) => (e.inclusionPromise.signedEntryTimestamp = flip(entry.inclusionPromise.signedEntryTimestamp))), Buffer.from(artifact), SAN, ISSUER)).toThrow();
    expect(() => verify(variant((e) => (e.inclusionProof.hashes[0] = flip(entry.inclusionProof.hashes[0]))), Buffer.from(artifact), SAN, ISSUER)).toThrow();
    const note: string = entry.inclusionProof.checkpoint.envelope;
    const [text, signature] = note.split('\n\n') as [string, string];
    const badSignature = signature.replace(/ (\S+)\n$/, (_, sig: string) => ` ${flip(sig)}\n`);
    expect(() => verify(variant((e) => (e.inclusionProof.checkpoint.envelope = `${text}\n\n${badSignature}`)), Buffer.from(artifact), SAN, ISSUER)).toThrow();
    expect(verify(variant(() => {}), Buffer.from(artifact), SAN, ISSUER)).toBeTruthy();
  });

  it('rejects a bundle whose trusted root lacks the CT log (the SCT is checked)', () => {
    const artifact = utf8Encode('x');
    const bundle = JSON.stringify(sigstore.signBlob({ artifact, identity }));
    const withoutCtlogs = createSigstoreJsVerifier({ ...sigstore.trustedRootJson, ctlogs: [] });
    expect(() => withoutCtlogs(bundle, Buffer.from(artifact), SAN, ISSUER)).toThrow();
    const otherLog = createSigstoreJsVerifier(createVirtualSigstore().trustedRootJson);
    expect(() => otherLog(bundle, Buffer.from(artifact), SAN, ISSUER)).toThrow();
  });
});
