import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { canonicalJson, derToPem, utf8Encode } from '@sigil/encoding';
import { createFulcioClient, FulcioError } from '@sigil/fulcio';
import { generateEphemeralSigner } from '@sigil/keys';
import { preflight } from '@sigil/oidc';
import { entryUuid } from '@sigil/rekor';
import { RekorClientError } from '@sigil/rekor/client';
import { createStack } from '@sigil/stack';
import { TrustMaterial } from '@sigil/trust';
import { SignError } from '../src/index.js';
import { record, rewriteAnswer, rewriteRequest } from './faults.js';
import { expectSignFailure, useSignFixture } from './sign-fixture.js';

// Answers that are well formed but not the answer to this request: a certificate for another
// key or identity, or from a CA the trusted root does not hold; a log entry for another
// signature, or whose proofs belong to another entry. Each is caught before a bundle exists.
const fixture = useSignFixture('forged');
/** Another instance's trusted root: the same shape, other keys. */
let foreignRootJson: Record<string, unknown>;
/** Rekor's answer to an earlier, unrelated signing. */
let otherEntryAnswer: RekorAnswer;

type RekorEntry = { body: string; integratedTime: number; logID: string; logIndex: number; verification: { signedEntryTimestamp: string; inclusionProof: { checkpoint: string } & Record<string, unknown> } };
type RekorAnswer = Record<string, RekorEntry>;

beforeAll(async () => {
  const foreignDir = mkdtempSync(join(tmpdir(), 'sigil-sign-foreign-'));
  const foreign = await createStack({ dir: foreignDir });
  foreignRootJson = JSON.parse(readFileSync(foreign.trustedRoot, 'utf8'));
  await foreign.close();
  rmSync(foreignDir, { recursive: true, force: true });

  fixture().proxy.plan('rekor', [record((answer) => (otherEntryAnswer = answer))]);
  await fixture().sign(await fixture().token(), {}, utf8Encode('an earlier, unrelated artifact\n')).result;
}, 60_000);

function onlyEntry(answer: RekorAnswer): [string, RekorEntry] {
  const entries = Object.entries(answer);
  expect(entries).toHaveLength(1);
  return entries[0]!;
}

/** The answer with its entry body edited, keyed by the new body's leaf hash (so it reads as a consistent entry). */
function withEditedBody(answer: RekorAnswer, edit: (body: any) => unknown): RekorAnswer {
  const [key, entry] = onlyEntry(answer);
  const body = utf8Encode(canonicalJson(edit(JSON.parse(Buffer.from(entry.body, 'base64').toString('utf8')))));
  return { [`${key.slice(0, -64)}${entryUuid(body)}`]: { ...entry, body: Buffer.from(body).toString('base64') } };
}

function withEditedEntry(answer: RekorAnswer, edit: (entry: RekorEntry) => void): RekorAnswer {
  const [key, entry] = onlyEntry(answer);
  const copy = structuredClone(entry);
  edit(copy);
  return { [key]: copy };
}

const otherBody = () => JSON.parse(Buffer.from(onlyEntry(otherEntryAnswer)[1].body, 'base64').toString('utf8'));
const otherEntry = () => onlyEntry(otherEntryAnswer)[1];

describe('a certificate that is not the one asked for', () => {
  it('for another key (a second signingCert with another ephemeral key, same token): FULCIO_CERTIFICATE_KEY_MISMATCH', async () => {
    const token = await fixture().token();
    const { chain } = await createFulcioClient({ url: fixture().stack.fulcioURL }).signingCertificate({
      token,
      signer: generateEphemeralSigner(),
      challenge: preflight(token).challenge,
    });
    fixture().proxy.plan('fulcio', [], rewriteAnswer((answer) => {
      answer.signedCertificateEmbeddedSct.chain.certificates = chain.map((der) => derToPem(der, 'CERTIFICATE'));
      return answer;
    }));
    const { steps, result } = fixture().sign(token);
    await expectSignFailure(result, FulcioError, 'FULCIO_CERTIFICATE_KEY_MISMATCH', token);
    expect(steps).not.toContain('certificate-issued');
    expect(fixture().proxy.count('rekor')).toBe(0);
  });

  it('for another identity (the request carried another job\'s token): SIGN_CERTIFICATE_MISMATCH', async () => {
    const token = await fixture().token();
    // Same subject, so the proof of possession holds; another pipeline configuration, so another SAN.
    const other = await fixture().stack.mintToken({ claims: { ci_config_ref_uri: `${new URL(fixture().stack.oidcIssuer).host}/another-group/another-project//.gitlab-ci.yml@refs/heads/main` } });
    expect(preflight(other).challenge).toBe(preflight(token).challenge);
    fixture().proxy.plan('fulcio', [], rewriteRequest((request) => ({ ...request, credentials: { oidcIdentityToken: other } })));
    const { steps, result } = fixture().sign(token);
    const err = await expectSignFailure(result, SignError, 'SIGN_CERTIFICATE_MISMATCH', token);
    expect(err.message).toContain('another-group/another-project');
    expect(steps).not.toContain('certificate-issued');
    expect(fixture().proxy.count('rekor')).toBe(0);
  });

  it('from a CA the trusted root does not hold: SIGN_CERTIFICATE_UNTRUSTED', async () => {
    const token = await fixture().token();
    const { result } = fixture().sign(token, { trust: TrustMaterial.fromJson(foreignRootJson) });
    const err = await expectSignFailure(result, SignError, 'SIGN_CERTIFICATE_UNTRUSTED', token);
    expect(err.hint).toContain('--trusted-root');
    expect(fixture().proxy.count('rekor')).toBe(0);
  });

  it('with an SCT from no CT log the trusted root holds: SIGN_CERTIFICATE_UNTRUSTED', async () => {
    const token = await fixture().token();
    const trust = TrustMaterial.fromJson({ ...fixture().trustedRootJson, ctlogs: foreignRootJson.ctlogs });
    const { result } = fixture().sign(token, { trust });
    await expectSignFailure(result, SignError, 'SIGN_CERTIFICATE_UNTRUSTED', token);
    expect(fixture().proxy.count('rekor')).toBe(0);
  });
});

describe('CT logs of the trusted root', () => {
  it('the key of a log no SCT names is never imported', async () => {
    const root = fixture().trustedRootJson as { ctlogs: unknown[] };
    const trust = TrustMaterial.fromJson({ ...root, ctlogs: [...(foreignRootJson.ctlogs as unknown[]), ...root.ctlogs] });
    const unnamed = vi.spyOn(trust.ctlogs[0]!, 'publicKey', 'get');
    await fixture().sign(await fixture().token(), { trust }).result;
    expect(unnamed).not.toHaveBeenCalled();
  });
});

describe('a log entry that does not match what was sent', () => {
  async function expectEntryRefused(edit: (answer: RekorAnswer) => RekorAnswer, errorClass: typeof SignError | typeof RekorClientError, code: string) {
    fixture().proxy.plan('rekor', [], rewriteAnswer((answer) => edit(answer)));
    const token = await fixture().token();
    const { steps, result } = fixture().sign(token);
    const err = await expectSignFailure(result, errorClass as never, code as never, token);
    expect(steps).not.toContain('bundle-verified');
    return err as SignError;
  }

  it('another signing\'s entry in its place: SIGN_LOG_ENTRY_MISMATCH', async () => {
    await expectEntryRefused(() => otherEntryAnswer, SignError, 'SIGN_LOG_ENTRY_MISMATCH');
  });

  it('another entry\'s body under this entry\'s UUID: REKOR_CLIENT_RESPONSE_INVALID', async () => {
    await expectEntryRefused((answer) => withEditedEntry(answer, (entry) => (entry.body = otherEntry().body)), RekorClientError, 'REKOR_CLIENT_RESPONSE_INVALID');
  });

  it.each([
    ['the signature', (body: any) => (body.spec.signature.content = otherBody().spec.signature.content)],
    ['the digest', (body: any) => (body.spec.data.hash.value = otherBody().spec.data.hash.value)],
    ['the certificate', (body: any) => (body.spec.signature.publicKey.content = otherBody().spec.signature.publicKey.content)],
  ])('%s of another entry in the body: SIGN_LOG_ENTRY_MISMATCH', async (_what, edit) => {
    await expectEntryRefused(
      (answer) =>
        withEditedBody(answer, (body) => {
          edit(body);
          return body;
        }),
      SignError,
      'SIGN_LOG_ENTRY_MISMATCH',
    );
  });

  it('a body that is not a hashedrekord entry: SIGN_LOG_ENTRY_MISMATCH', async () => {
    await expectEntryRefused((answer) => withEditedBody(answer, (body) => ({ ...body, kind: 'rekord' })), SignError, 'SIGN_LOG_ENTRY_MISMATCH');
    await expectEntryRefused((answer) => withEditedBody(answer, () => ({ hello: 'world' })), SignError, 'SIGN_LOG_ENTRY_MISMATCH');
  });

  it.each([
    ['the signed entry timestamp of another entry', (entry: RekorEntry) => (entry.verification.signedEntryTimestamp = otherEntry().verification.signedEntryTimestamp), 'VERIFY_TLOG_SET_INVALID'],
    ['another log index', (entry: RekorEntry) => (entry.logIndex += 1), 'VERIFY_TLOG_SET_INVALID'],
    ['another integrated time', (entry: RekorEntry) => (entry.integratedTime -= 60), 'VERIFY_TLOG_SET_INVALID'],
    ['the inclusion proof of another entry', (entry: RekorEntry) => (entry.verification.inclusionProof = otherEntry().verification.inclusionProof), /^VERIFY_TLOG_/],
    ['a log ID of no trusted log', (entry: RekorEntry) => (entry.logID = 'ab'.repeat(32)), 'VERIFY_TLOG_UNKNOWN_LOG'],
    [
      'a checkpoint whose signature was altered',
      (entry: RekorEntry) => {
        const { inclusionProof } = entry.verification;
        // Past the 4-byte key hint: the signature bytes themselves.
        inclusionProof.checkpoint = inclusionProof.checkpoint.replace(/(— \S+ )(\S+)/, (_all, head: string, blob: string) => `${head}${blob.slice(0, 10)}${blob[10] === 'A' ? 'B' : 'A'}${blob.slice(11)}`);
      },
      /^VERIFY_TLOG_/,
    ],
  ] as const)('%s: SIGN_SELF_CHECK_FAILED, no bundle', async (_what, edit, verifyCode) => {
    const err = await expectEntryRefused((answer) => withEditedEntry(answer, edit), SignError, 'SIGN_SELF_CHECK_FAILED');
    expect(err.details?.code).toMatch(verifyCode);
  });
});
