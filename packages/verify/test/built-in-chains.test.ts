import { describe, expect, it } from 'vitest';
import { parseTrustedRoot } from '@sigil/bundle';
import { publicGoodTrustMaterial, TrustMaterial } from '@sigil/trust';
import { verifyCertificateSignature } from '@sigil/x509';
import { Verifier } from '../src/index.js';
import { loadCorpusCase } from './corpus.js';

// The trusted roots built into Sigil are used without checking again the signatures inside
// their CA chains (rememberBuiltInChain): this is that check, for real.
describe('the CA chains built into Sigil', () => {
  for (const instance of ['production', 'staging'] as const) {
    it(`${instance}: every certificate of every CA and TSA chain is signed by the next`, () => {
      const trust = publicGoodTrustMaterial(instance);
      let links = 0;
      for (const authority of [...trust.certificateAuthorities, ...trust.timestampAuthorities]) {
        const chain = authority.chain;
        for (let i = 0; i + 1 < chain.length; i++, links++) expect(verifyCertificateSignature(chain[i]!, chain[i + 1]!.publicKey), `${authority.uri} link ${i}`).toBe(true);
      }
      expect(links).toBeGreaterThan(0);
    });
  }

  const c = loadCorpusCase('py-v02-prod-gha-wheel');
  const root = structuredClone(c.trustedRootJson) as { certificateAuthorities: { certChain: { certificates: { rawBytes: string }[] } }[] };
  const ca = root.certificateAuthorities.find((a) => a.certChain.certificates.length === 2)!;
  const intermediate = Buffer.from(ca.certChain.certificates[0]!.rawBytes, 'base64');
  intermediate[intermediate.length - 1]! ^= 0x01; // the last byte of the ECDSA signature's s
  ca.certChain.certificates[0]!.rawBytes = intermediate.toString('base64');

  it('any other trusted root has its chains checked: an intermediate with a corrupted signature fails the path', async () => {
    await expect(new Verifier(TrustMaterial.fromJson(c.trustedRootJson)).verify(c.bundleText, c.artifact, c.policy)).resolves.toMatchObject({ signer: { identity: c.identity } });
    await expect(new Verifier(TrustMaterial.fromJson(root)).verify(c.bundleText, c.artifact, c.policy)).rejects.toMatchObject({
      code: 'VERIFY_CERTIFICATE_UNTRUSTED',
      message: expect.stringContaining('does not verify'),
    });
  });

  it('no option of the public API lets a caller skip those checks', async () => {
    const asIfBuiltIn = (TrustMaterial.fromTrustedRoot as (...args: unknown[]) => TrustMaterial)(parseTrustedRoot(root), { builtIn: true });
    await expect(new Verifier(asIfBuiltIn).verify(c.bundleText, c.artifact, c.policy)).rejects.toMatchObject({ code: 'VERIFY_CERTIFICATE_UNTRUSTED' });
  });
});
