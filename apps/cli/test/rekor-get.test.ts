import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { preAuthEncoding, type Bundle } from '@sigil/bundle';
import { derToPem, encodeBase64, encodeHex } from '@sigil/encoding';
import { entryUuid, hashedRekordV001Body } from '@sigil/rekor';
import { createRekorClient, dsseProposal } from '@sigil/rekor/client';
import { signBlob, signDsse, type SignOptions } from '@sigil/sign';
import { createCertificateAuthority, createStack, generateSigningKey, type Stack } from '@sigil/stack';
import { loadTrustMaterialFile } from '@sigil/trust';
import { printedCode, repoRoot, runCli } from './run-cli.js';

// `sigil rekor get` against the local stack's Rekor after signing with @sigil/sign, and against
// a small fake Rekor serving a real npm provenance entry (intoto v0.0.2 with its attestation).
const dir = mkdtempSync(join(tmpdir(), 'sigil-rekor-get-'));
const artifact = new TextEncoder().encode('an artifact for rekor get\n');
let stack: Stack;
let identity: string;
let blob: { logIndex: string; uuid: string };
let dsse: { logIndex: string };
let twoSigners: { logIndex: string; victim: string };

const statement = (digest: string) =>
  new TextEncoder().encode(
    JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [{ name: 'artifact', digest: { sha256: digest } }], predicateType: 'https://slsa.dev/provenance/v1', predicate: { buildDefinition: {} } }),
  );

beforeAll(async () => {
  // Rekor v1 as it really is: it logs a certificate from any issuer (checked only by the client).
  stack = await createStack({ dir: join(dir, 'stack'), rekorV1ChecksIssuer: false });
  const options = async (): Promise<SignOptions> => ({
    identityToken: await stack.mintToken({ project: 'my-group/my-project' }),
    fulcioURL: stack.fulcioURL,
    rekorURL: stack.rekorURL,
    trust: loadTrustMaterialFile(stack.trustedRoot),
  });
  const signed = await signBlob({ kind: 'bytes', bytes: artifact }, await options());
  identity = signed.identity;
  const entry = signed.bundle.verificationMaterial.tlogEntries[0]!;
  blob = { logIndex: entry.logIndex.toString(), uuid: entryUuid(entry.canonicalizedBody) };
  const attested = await signDsse(statement(encodeHex(new Uint8Array(32).fill(7))), await options());
  dsse = { logIndex: attested.bundle.verificationMaterial.tlogEntries[0]!.logIndex.toString() };
  twoSigners = await logTwoSigners(attested.bundle);
}, 60_000);
afterAll(async () => {
  await stack?.close();
});
afterEach(() => {
  delete process.env.SIGIL_SIGNING_CONFIG;
});

/**
 * A dsse entry with two signatures over the same statement, as real Rekor v1 logs it: the genuine
 * one (a Fulcio certificate of the stack) and one by a certificate from a CA nobody trusts,
 * naming a victim's identity.
 */
async function logTwoSigners(genuine: Bundle): Promise<{ logIndex: string; victim: string }> {
  if (genuine.content.$case !== 'dsseEnvelope' || genuine.verificationMaterial.content.$case === 'publicKey') throw new Error('expected a keyless DSSE bundle');
  const { payload, payloadType, signatures } = genuine.content.envelope;
  const material = genuine.verificationMaterial.content;
  const leaf = material.$case === 'certificate' ? material.certificate : material.certificates[0]!;
  const victim = 'https://gitlab.example/victim/release//.gitlab-ci.yml@refs/tags/v9.9.9';
  const forgedKey = generateSigningKey('P-256');
  const forged = createCertificateAuthority({ organization: 'rogue.example' }).issueLeaf({ publicKey: forgedKey.spki, san: { type: 'uri', value: victim }, issuer: 'https://gitlab.example' });
  const envelopeJson = JSON.stringify({
    payload: encodeBase64(payload),
    payloadType,
    signatures: [{ sig: encodeBase64(signatures[0]!.sig) }, { sig: encodeBase64(forgedKey.sign(preAuthEncoding(payloadType, payload))) }],
  });
  const entry = await createRekorClient({ url: stack.rekorURL }).createEntry(dsseProposal({ envelopeJson, verifierPems: [derToPem(leaf, 'CERTIFICATE'), derToPem(forged, 'CERTIFICATE')] }));
  return { logIndex: entry.logIndex.toString(), victim };
}

const get = (...flags: string[]) => runCli(['rekor', 'get', '--rekor-url', stack.rekorURL, '--trusted-root', stack.trustedRoot, ...flags]);
const getJson = async (...flags: string[]) => {
  const run = await get(...flags, '--output', 'json');
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout);
};

describe('sigil rekor get against the local stack', () => {
  it('shows a hashedrekord entry by log index: digest, signer, issuer and Fulcio extensions by title', async () => {
    const run = await get('--log-index', blob.logIndex);
    expect(run.code, run.stderr).toBe(0);
    const sha256 = encodeHex(new Uint8Array(await crypto.subtle.digest('SHA-256', artifact)));
    expect(run.stdout).toContain(`Kind:              hashedrekord 0.0.1`);
    expect(run.stdout).toContain(`Artifact digest:   sha256:${sha256}`);
    expect(run.stdout).toContain(`Signer identity:   ${identity} (uri)`);
    expect(run.stdout).toContain(`OIDC issuer:       ${stack.oidcIssuer}`);
    expect(run.stdout).toContain('  Source Repository URI: ');
    expect(run.stdout).toMatch(new RegExp(`UUID: +[0-9a-f]{16}${blob.uuid}\n`));
    expect(run.stdout).not.toContain('Attestation');
    expect(run.stdout).toContain('Verification:      verified against the trusted root');
    expect(run.stdout).toContain('  Certificate chain: verified to a Fulcio CA of the trusted root at the integrated time');
  });

  it('finds the same entry by UUID, with or without the tree ID', async () => {
    const byIndex = await getJson('--log-index', blob.logIndex);
    const byUuid = await getJson('--uuid', blob.uuid);
    expect(byUuid).toEqual(byIndex);
    expect(await getJson('--uuid', byIndex.uuid.toUpperCase())).toEqual(byIndex);
    expect(byIndex.uuid).toHaveLength(80);
    expect(byIndex.uuid.endsWith(blob.uuid)).toBe(true);
  });

  it('prints JSON with every field decoded', async () => {
    const summary = await getJson('--log-index', blob.logIndex);
    expect(summary).toMatchObject({ rekorUrl: stack.rekorURL, logIndex: blob.logIndex, kind: 'hashedrekord', version: '0.0.1' });
    expect(summary.artifactDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(summary.logId).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(summary.integratedTime)).toBeGreaterThan(Date.now() - 600_000);
    expect(summary.signers).toHaveLength(1);
    expect(summary.signers[0]).toMatchObject({ type: 'certificate', identity, issuer: stack.oidcIssuer, certificateChain: { status: 'verified' } });
    expect(summary.signers[0].extensions['Source Repository URI']).toMatch(/my-group\/my-project$/);
    expect(summary.signers[0].extensions['Build Config URI']).toBe(identity);
    expect(summary.inclusionProof.treeSize).toMatch(/^\d+$/);
    expect(summary.verification).toEqual({
      verified: true,
      log: stack.rekorURL,
      signedEntryTimestamp: { status: 'verified' },
      inclusionProof: { status: 'verified' },
      certificateChain: { status: 'verified' },
    });
  });

  it('shows a dsse entry with its payload hash and says the log keeps no attestation', async () => {
    const run = await get('--log-index', dsse.logIndex);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Kind:              dsse 0.0.1');
    expect(run.stdout).toMatch(/Payload hash: +sha256:[0-9a-f]{64}/);
    expect(run.stdout).toContain(`Signer identity:   ${identity}`);
    expect(run.stdout).toContain('Attestation:       dsse entries keep only the payload and envelope hashes');
    const summary = await getJson('--log-index', dsse.logIndex);
    expect(summary.attestation).toMatchObject({ status: 'not-stored' });
  });

  it('checks every signer of an entry: a second signer whose certificate a rogue CA issued is shown unverified, and the entry is not verified', async () => {
    const run = await get('--log-index', twoSigners.logIndex);
    expect(run.code).toBe(1);
    expect(printedCode(run)).toBe('VERIFY_CERTIFICATE_UNTRUSTED');
    expect(run.stdout).toContain(`Signer identity:   ${identity} (uri)\n`);
    expect(run.stdout).toContain(`Signer identity:   ${twoSigners.victim} (uri) (UNVERIFIED: as the log claims it)`);
    // The log orders signers by its canonical body, not as sent: each is found by its identity.
    const block = (who: string) => run.stdout.split(/(?=Signer identity:)/).find((b) => b.startsWith(`Signer identity:   ${who} `)) ?? '';
    expect(block(identity)).toContain("  Signer's certificate: verified to a Fulcio CA of the trusted root at the integrated time\n");
    expect(block(twoSigners.victim)).toContain("  Signer's certificate: FAILED: VERIFY_CERTIFICATE_UNTRUSTED: ");
    expect(run.stdout).toContain('NOT VERIFIED against the trusted root');
    expect(run.stdout).toMatch(/\n {2}Certificate chain: FAILED: VERIFY_CERTIFICATE_UNTRUSTED: signer [12] of 2: /);
    const json = await get('--log-index', twoSigners.logIndex, '--output', 'json');
    expect(json.code).toBe(1);
    const summary = JSON.parse(json.stdout);
    const outcomes = Object.fromEntries(summary.signers.map((s: { identity: string; certificateChain: { status: string } }) => [s.identity, s.certificateChain.status]));
    expect(outcomes).toEqual({ [identity]: 'verified', [twoSigners.victim]: 'failed' });
    expect(summary.verification).toMatchObject({ verified: false, signedEntryTimestamp: { status: 'verified' }, certificateChain: { status: 'failed', code: 'VERIFY_CERTIFICATE_UNTRUSTED' } });
  });

  it('takes the Rekor URL from --signing-config and from SIGIL_SIGNING_CONFIG', async () => {
    const viaFlag = await runCli(['rekor', 'get', '--signing-config', stack.signingConfig, '--trusted-root', stack.trustedRoot, '--log-index', blob.logIndex]);
    expect(viaFlag.code, viaFlag.stderr).toBe(0);
    expect(viaFlag.stdout).toContain(`in ${stack.rekorURL}`);
    process.env.SIGIL_SIGNING_CONFIG = stack.signingConfig;
    const viaEnv = await runCli(['rekor', 'get', '--trusted-root', stack.trustedRoot, '--log-index', blob.logIndex]);
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    expect(viaEnv.stdout).toBe(viaFlag.stdout);
  });

  it('answers an index or UUID the log does not have with the typed 404', async () => {
    const index = await get('--log-index', '999999');
    expect(index.code).toBe(1);
    expect(printedCode(index)).toBe('REKOR_CLIENT_ENTRY_NOT_FOUND');
    expect(index.stderr).toContain('no such entry');
    const uuid = await get('--uuid', 'ab'.repeat(32));
    expect(printedCode(uuid)).toBe('REKOR_CLIENT_ENTRY_NOT_FOUND');
  });

  it.each([
    ['no lookup', []],
    ['both lookups', ['--log-index', '1', '--uuid', 'ab'.repeat(32)]],
    ['a negative index', ['--log-index', '-1']],
    ['an index past 2^63-1', ['--log-index', '9223372036854775808']],
    ['a non-numeric index', ['--log-index', '1e3']],
    ['a short UUID', ['--uuid', 'abcd']],
    ['a non-hex UUID', ['--uuid', 'z'.repeat(64)]],
    ['an unknown output format', ['--log-index', '1', '--output', 'yaml']],
  ])('refuses %s as a usage error', async (_, flags) => {
    const run = await get(...flags);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: sigil rekor get');
  });

  it('needs the get subcommand', async () => {
    expect((await runCli(['rekor', '--log-index', '1'])).code).toBe(2);
    expect((await runCli(['rekor', 'list', '--log-index', '1'])).code).toBe(2);
  });

  it('refuses a Rekor URL that is not http(s)', async () => {
    const run = await runCli(['rekor', 'get', '--rekor-url', 'file:///etc/passwd', '--log-index', '0']);
    expect(run.code).toBe(1);
    expect(printedCode(run)).toBe('REKOR_CLIENT_INPUT_INVALID');
  });
});

// A real public-good npm provenance entry (sigstore@2.0.0, intoto v0.0.2), served the way
// Rekor serves it: the entry from the corpus bundle, plus the payload it stored as attestation.
describe('sigil rekor get on an npm provenance entry (intoto v0.0.2)', () => {
  const bundle = JSON.parse(readFileSync(join(repoRoot, 'test-infra/fixtures/corpus/go-npm-provenance-sigstore-2.0.0/bundle.json'), 'utf8'));
  const tlog = bundle.verificationMaterial.tlogEntries[0];
  const body = Buffer.from(tlog.canonicalizedBody, 'base64');
  const uuid = `24296fb24b8ad77a${entryUuid(body)}`;
  const payload = Buffer.from(bundle.dsseEnvelope.payload, 'base64');
  let server: Server;
  let url: string;
  let reply: (path: string) => { status: number; type: string; text: string };

  const entryJson = (attestation?: Uint8Array, entryBody: Uint8Array = body) =>
    JSON.stringify({
      [`24296fb24b8ad77a${entryUuid(entryBody)}`]: {
        body: encodeBase64(entryBody),
        integratedTime: Number(tlog.integratedTime),
        logID: Buffer.from(tlog.logId.keyId, 'base64').toString('hex'),
        logIndex: Number(tlog.logIndex),
        verification: { signedEntryTimestamp: tlog.inclusionPromise.signedEntryTimestamp },
        ...(attestation ? { attestation: { data: encodeBase64(attestation) } } : {}),
      },
    });

  beforeAll(async () => {
    server = createServer((req, res) => {
      const { status, type, text } = reply(req.url ?? '');
      res.writeHead(status, { 'content-type': type }).end(text);
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  const fake = (...flags: string[]) => runCli(['rekor', 'get', '--rekor-url', url, ...flags]);

  it('shows the payload hash, the GitHub signer with its extensions, and the stored attestation checked against the payload hash', async () => {
    reply = () => ({ status: 200, type: 'application/json', text: entryJson(payload) });
    const run = await fake('--log-index', tlog.logIndex);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Kind:              intoto 0.0.2');
    expect(run.stdout).toContain(`Payload hash:      sha256:${encodeHex(new Uint8Array(await crypto.subtle.digest('SHA-256', payload)))}`);
    expect(run.stdout).toContain('Payload type:      application/vnd.in-toto+json');
    expect(run.stdout).toContain('Signer identity:   https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main (uri)');
    expect(run.stdout).toContain('OIDC issuer:       https://token.actions.githubusercontent.com');
    expect(run.stdout).toContain('  Source Repository URI: https://github.com/sigstore/sigstore-js');
    expect(run.stdout).toContain('  Runner Environment: github-hosted');
    expect(run.stdout).toContain("Attestation:       the log's stored payload; its SHA-256 equals the entry's payload hash");
    expect(run.stdout).toContain('  Subject: pkg:npm/sigstore@2.0.0 sha512:46d4e2f7');
    expect(run.stdout).toContain('"buildType": "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1"');
    const json = JSON.parse((await fake('--uuid', uuid, '--output', 'json')).stdout);
    expect(json.attestation.status).toBe('verified');
    expect(json.attestation.statement.predicateType).toBe('https://slsa.dev/provenance/v1');
    expect(json.attestation.document.subject[0].name).toBe('pkg:npm/sigstore@2.0.0');
  });

  it('does not show an attestation that is not the logged payload', async () => {
    reply = () => ({ status: 200, type: 'application/json', text: entryJson(new TextEncoder().encode('{"_type":"forged"}')) });
    const json = JSON.parse((await fake('--log-index', tlog.logIndex, '--output', 'json')).stdout);
    expect(json.attestation.status).toBe('mismatch');
    expect(json.attestation.document).toBeUndefined();
  });

  it('says an attestation over the limits of an in-toto statement was refused for that, not that it is not JSON', async () => {
    // The entry as the log would hold it had that been the payload (its SET then fails: no matter here).
    const deep = new TextEncoder().encode(`${'['.repeat(101)}${']'.repeat(101)}`);
    const logged = JSON.parse(body.toString());
    logged.spec.content.payloadHash.value = encodeHex(new Uint8Array(await crypto.subtle.digest('SHA-256', deep)));
    reply = () => ({ status: 200, type: 'application/json', text: entryJson(deep, new TextEncoder().encode(JSON.stringify(logged))) });
    const json = JSON.parse((await fake('--log-index', tlog.logIndex, '--output', 'json')).stdout);
    expect(json.attestation.status).toBe('verified');
    expect(json.attestation.document).toBe('(202 bytes, refused before parsing: attestation: expected JSON nested at most 100 levels deep, found deeper nesting at offset 100)');
  });

  it('says so when the log returns no attestation, or the second lookup fails', async () => {
    reply = () => ({ status: 200, type: 'application/json', text: entryJson() });
    expect(JSON.parse((await fake('--log-index', tlog.logIndex, '--output', 'json')).stdout).attestation.status).toBe('not-returned');
    reply = (path) => (path.includes('logIndex') ? { status: 200, type: 'application/json', text: entryJson(payload) } : { status: 400, type: 'application/json', text: '{"message":"no"}' });
    const run = await fake('--log-index', tlog.logIndex);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Attestation:       the attestation could not be fetched');
  });

  it.each([
    ['garbage JSON', { status: 200, type: 'application/json', text: '{"not json' }, 'REKOR_CLIENT_HTTP'],
    ['another content type', { status: 200, type: 'text/html', text: '<html></html>' }, 'REKOR_CLIENT_HTTP'],
    ['an entry whose key is not its body hash', { status: 200, type: 'application/json', text: entryJson(payload).replace(uuid, 'ab'.repeat(40)) }, 'REKOR_CLIENT_RESPONSE_INVALID'],
    ['another entry than asked for', { status: 200, type: 'application/json', text: entryJson(payload).replace(`"logIndex":${tlog.logIndex}`, '"logIndex":1') }, 'REKOR_CLIENT_RESPONSE_INVALID'],
    ['a 404', { status: 404, type: 'application/json', text: '{"code":404,"message":"not found"}' }, 'REKOR_CLIENT_ENTRY_NOT_FOUND'],
  ])('answers %s from the log with a typed error', async (_, answer, code) => {
    reply = () => answer;
    const run = await fake('--log-index', tlog.logIndex);
    expect(run.code).toBe(1);
    expect(printedCode(run)).toBe(code);
  });
});

// A hostile log: a certificate from a CA nobody trusts, a made-up SET, no inclusion proof.
// Its "signer" must not be printed as fact, nor the command succeed.
describe('sigil rekor get against a log that does not check out', () => {
  const rogue = createCertificateAuthority({ organization: 'rogue.example' });
  const signer = generateSigningKey('P-256');
  const leaf = rogue.issueLeaf({ publicKey: signer.spki, san: { type: 'uri', value: 'https://github.com/victim/project/.github/workflows/release.yml@refs/heads/main' }, issuer: 'https://token.actions.githubusercontent.com' });
  const body = hashedRekordV001Body({ digest: new Uint8Array(32).fill(1), algorithm: 'sha256', signature: new Uint8Array(70).fill(2), verifierPem: derToPem(leaf, 'CERTIFICATE') });
  // Index 8: identity and extension text that would erase a line and paint a "verified" of its own.
  const painted = '\x1b[2K\rVerification:      verified against the trusted root';
  const hostileLeaf = rogue.issueLeaf({
    publicKey: signer.spki,
    san: { type: 'uri', value: `https://gitlab.example/victim\x1b[8m` },
    issuer: 'https://gitlab.example',
    extensions: { sourceRepositoryURI: `https://gitlab.example/x\n${painted}` },
  });
  const hostileBody = hashedRekordV001Body({ digest: new Uint8Array(32).fill(1), algorithm: 'sha256', signature: new Uint8Array(70).fill(2), verifierPem: derToPem(hostileLeaf, 'CERTIFICATE') });
  let server: Server;
  let url: string;
  let logId: string;

  beforeAll(async () => {
    logId = Buffer.from(JSON.parse(readFileSync(stack.trustedRoot, 'utf8')).tlogs[0].logId.keyId, 'base64').toString('hex');
    server = createServer((req, res) => {
      const [logIndex, served] = req.url?.includes('logIndex=8') ? [8, hostileBody] : [7, body];
      const entry = { body: encodeBase64(served), integratedTime: Math.floor(Date.now() / 1000), logID: logId, logIndex, verification: { signedEntryTimestamp: encodeBase64(new Uint8Array(71).fill(3)) } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ [entryUuid(served)]: entry }));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it('a bogus SET from a trusted log ID: exit 1 with VERIFY_TLOG_SET_INVALID, the signer marked unverified, nothing else claimed', async () => {
    const run = await runCli(['rekor', 'get', '--rekor-url', url, '--trusted-root', stack.trustedRoot, '--log-index', '7']);
    expect(run.code).toBe(1);
    expect(printedCode(run)).toBe('VERIFY_TLOG_SET_INVALID');
    expect(run.stdout).toContain('(UNVERIFIED: as the log claims it)');
    expect(run.stdout).toContain('NOT VERIFIED against the trusted root');
    expect(run.stdout).toContain('  Inclusion proof: not verified: the log gave none');
    expect(run.stdout).toContain('  Certificate chain: not verified: no verified time');
    const json = await runCli(['rekor', 'get', '--rekor-url', url, '--trusted-root', stack.trustedRoot, '--log-index', '7', '--output', 'json']);
    expect(json.code).toBe(1);
    const summary = JSON.parse(json.stdout);
    expect(summary.verification).toMatchObject({ verified: false, signedEntryTimestamp: { status: 'failed', code: 'VERIFY_TLOG_SET_INVALID' }, inclusionProof: { status: 'not-checked' } });
  });

  it('prints control characters of identities and extensions escaped, on their own line; JSON keeps the exact text', async () => {
    const run = await runCli(['rekor', 'get', '--rekor-url', url, '--trusted-root', stack.trustedRoot, '--log-index', '8']);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    expect(run.stdout).toContain('Signer identity:   https://gitlab.example/victim\\u001b[8m (uri) (UNVERIFIED: as the log claims it)');
    expect(run.stdout).toContain('  Source Repository URI: https://gitlab.example/x\\u000a\\u001b[2K\\u000dVerification:      verified');
    expect(run.stdout.split('\n').filter((line) => line.startsWith('Verification:'))).toEqual(['Verification:      NOT VERIFIED against the trusted root: the entry above is only what the log claims']);
    const json = await runCli(['rekor', 'get', '--rekor-url', url, '--trusted-root', stack.trustedRoot, '--log-index', '8', '--output', 'json']);
    expect(JSON.parse(json.stdout).signers[0].extensions['Source Repository URI']).toBe(`https://gitlab.example/x\n${painted}`);
  });

  it('a log the trusted root does not list (the public-good root by default): exit 1 with VERIFY_TLOG_UNKNOWN_LOG', async () => {
    const run = await runCli(['rekor', 'get', '--rekor-url', url, '--log-index', '7', '--output', 'json']);
    expect(run.code).toBe(1);
    expect(printedCode(run)).toBe('VERIFY_TLOG_UNKNOWN_LOG');
    expect(JSON.parse(run.stdout).verification).toMatchObject({ verified: false, log: null });
  });
});
