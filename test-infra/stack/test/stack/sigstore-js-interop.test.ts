import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFromJSON, bundleToJSON } from '@sigstore/bundle';
import { SigningConfig, TrustedRoot } from '@sigstore/protobuf-specs';
import { bundleBuilderFromSigningConfig } from '@sigstore/sign';
import { Verifier as SigstoreJsVerifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import { attest, sign } from 'sigstore';
import { TrustMaterial } from '@sigil/trust';
import { Verifier, artifactFromBytes, certificateIdentity, PolicyError as SigilPolicyError } from '@sigil/verify';
import { createStack, type Stack } from '../../src/stack/create-stack.js';

// The proof that the stack's API is real: sigstore-js, a client nobody here wrote, signs a
// blob and an attestation against it; sigstore-js and Sigil both accept the bundles.
let stack: Stack;
let token: string;
let identity: string;
let issuer: string;
const dir = mkdtempSync(join(tmpdir(), 'sigil-interop-'));

beforeAll(async () => {
  stack = await createStack({ dir });
  token = await stack.mintToken();
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
  identity = `https://${claims.ci_config_ref_uri}`;
  issuer = claims.iss;
}, 60_000);
afterAll(async () => {
  await stack?.close();
});

function sigstoreJsVerify(bundle: unknown, data: Buffer | undefined, san: string) {
  const root = TrustedRoot.fromJSON(JSON.parse(readFileSync(stack.trustedRoot, 'utf8')));
  const verifier = new SigstoreJsVerifier(toTrustMaterial(root));
  verifier.verify(toSignedEntity(bundleFromJSON(bundle), data), { subjectAlternativeName: san, extensions: { issuer } });
}

function sigilVerifier() {
  return new Verifier(TrustMaterial.fromJson(readFileSync(stack.trustedRoot, 'utf8')));
}

describe('sigstore-js against the local stack', () => {
  const options = () => ({ fulcioURL: stack.fulcioURL, rekorURL: stack.rekorURL, tsaServerURL: stack.tsaURL, identityToken: token });

  it('signs a blob; sigstore-js and Sigil accept the bundle, and reject another identity', async () => {
    const payload = Buffer.from('built by sigstore-js against the local stack\n');
    const bundle = await sign(payload, options());
    expect(bundle.mediaType).toMatch(/bundle/);
    sigstoreJsVerify(bundle, payload, identity);
    const result = await sigilVerifier().verify(JSON.stringify(bundle), artifactFromBytes(payload), { identities: [certificateIdentity({ identity, issuer })] });
    expect(result.signer?.identity).toBe(identity);
    await expect(
      sigilVerifier().verify(JSON.stringify(bundle), artifactFromBytes(payload), { identities: [certificateIdentity({ identity: `${identity}x`, issuer })] }),
    ).rejects.toBeInstanceOf(SigilPolicyError);
    expect(() => sigstoreJsVerify(bundle, payload, `^${identity}x$`)).toThrow();
  });

  it('attests an in-toto statement; both accept the DSSE bundle', async () => {
    const subject = Buffer.from('the attested artifact');
    const digest = createHash('sha256').update(subject).digest('hex');
    const statement = { _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'artifact', digest: { sha256: digest } }], predicateType: 'https://slsa.dev/provenance/v1', predicate: {} };
    const bundle = await attest(Buffer.from(JSON.stringify(statement)), 'application/vnd.in-toto+json', options());
    sigstoreJsVerify(bundle, undefined, identity);
    const result = await sigilVerifier().verify(JSON.stringify(bundle), artifactFromBytes(subject), { identities: [certificateIdentity({ identity, issuer })] });
    expect(result.statement?.predicateType).toBe('https://slsa.dev/provenance/v1');
  });
});


// The Rekor v2 log, selected by the stack's signing_config_rekor_v2.json as sigstore-js reads it.
describe('sigstore-js signing into the Rekor v2 log', () => {
  const builder = (bundleType: 'messageSignature' | 'dsseEnvelope') => {
    const signingConfig = SigningConfig.fromJSON(JSON.parse(readFileSync(stack.signingConfigRekorV2, 'utf8')));
    return bundleBuilderFromSigningConfig({ signingConfig, identityProvider: { getToken: async () => token }, bundleType });
  };
  const sigilVerify = (bundle: unknown, artifact: Buffer) =>
    sigilVerifier().verify(JSON.stringify(bundle), artifactFromBytes(artifact), { identities: [certificateIdentity({ identity, issuer })] });

  it('logs a blob signature as hashedrekord 0.0.2 with a checkpoint and no SET; both verifiers accept it', async () => {
    const payload = Buffer.from('signed by sigstore-js into Rekor v2\n');
    const bundle = bundleToJSON(await builder('messageSignature').create({ data: payload }));
    const [entry] = bundle.verificationMaterial.tlogEntries;
    expect(entry!.kindVersion).toEqual({ kind: 'hashedrekord', version: '0.0.2' });
    expect(entry!.inclusionPromise).toBeUndefined();
    expect(entry!.inclusionProof!.checkpoint.envelope).toMatch(/^127\.0\.0\.1\n\d+\n/);
    sigstoreJsVerify(bundle, payload, identity);
    const result = await sigilVerify(bundle, payload);
    expect(result.signer?.identity).toBe(identity);
    await expect(sigilVerify(bundle, Buffer.from('another artifact'))).rejects.toThrow(/sha256 digest differs/);
  });

  it('logs an attestation as dsse 0.0.2; both verifiers accept it', async () => {
    const subject = Buffer.from('the attested artifact');
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'artifact', digest: { sha256: createHash('sha256').update(subject).digest('hex') } }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: {},
    };
    const bundle = bundleToJSON(await builder('dsseEnvelope').create({ data: Buffer.from(JSON.stringify(statement)), type: 'application/vnd.in-toto+json' }));
    expect(bundle.verificationMaterial.tlogEntries[0]!.kindVersion).toEqual({ kind: 'dsse', version: '0.0.2' });
    sigstoreJsVerify(bundle, undefined, identity);
    const result = await sigilVerify(bundle, subject);
    expect(result.statement?.predicateType).toBe('https://slsa.dev/provenance/v1');
  });
});
