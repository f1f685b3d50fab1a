import { describe, expect, it } from 'vitest';
import { TrustMaterial } from '@sigil/trust';
import { Verifier } from '../src/index.js';
import { loadCorpusCase } from './corpus.js';

// A one-shot verification decodes only the trust material it needs: a cold `sigil verify-blob`
// pays for every certificate it parses. Reading a watched chain is recorded in `touched`.
function watch(authority: { chain: unknown }, what: string, touched: string[]): void {
  const read = Object.getOwnPropertyDescriptor(authority, 'chain')!.get!;
  Object.defineProperty(authority, 'chain', {
    get() {
      touched.push(what);
      return read.call(authority);
    },
  });
}

describe('trust material a verification leaves undecoded', () => {
  it('a bundle without RFC 3161 timestamps never decodes the TSA chains', async () => {
    const c = loadCorpusCase('py-v02-prod-gha-wheel');
    const trust = TrustMaterial.fromJson(c.trustedRootJson);
    expect(trust.timestampAuthorities.length).toBeGreaterThan(0);
    const touched: string[] = [];
    trust.timestampAuthorities.forEach((tsa, i) => watch(tsa, `timestampAuthorities[${i}]`, touched));
    await expect(new Verifier(trust).verify(c.bundleText, c.artifact, c.policy)).resolves.toMatchObject({ signer: { identity: c.identity } });
    expect(touched).toEqual([]);
  });

  it('a CA that was not trusted while the leaf was valid is never decoded', async () => {
    const c = loadCorpusCase('py-v02-prod-gha-wheel');
    const trust = TrustMaterial.fromJson(c.trustedRootJson);
    // The 2021 CA's window ended in 2022; this leaf is from later.
    const expired = trust.certificateAuthorities.filter((ca) => ca.validFor.end !== undefined && ca.validFor.end < new Date('2023-01-01'));
    expect(expired.length).toBeGreaterThan(0);
    const touched: string[] = [];
    expired.forEach((ca, i) => watch(ca, `an expired CA (${i})`, touched));
    await expect(new Verifier(trust).verify(c.bundleText, c.artifact, c.policy)).resolves.toMatchObject({ signer: { identity: c.identity } });
    expect(touched).toEqual([]);
  });

  it('verifies the same with the CA checks in the foreground (backgroundChecks: false, as the CLI runs)', async () => {
    const c = loadCorpusCase('py-v02-prod-gha-wheel');
    const trust = TrustMaterial.fromJson(c.trustedRootJson);
    await expect(new Verifier(trust, { backgroundChecks: false }).verify(c.bundleText, c.artifact, c.policy)).resolves.toMatchObject({ signer: { identity: c.identity } });
  });
});
