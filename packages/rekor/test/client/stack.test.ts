import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preAuthEncoding } from '@sigil/bundle';
import { sha256 } from '@sigil/crypto';
import { derToPem, encodeBase64, utf8Encode } from '@sigil/encoding';
import { createFulcioClient } from '@sigil/fulcio';
import type { HttpClientError } from '@sigil/http-client';
import { generateEphemeralSigner, type Signer } from '@sigil/keys';
import { leafHash, parseCheckpoint, verifyCheckpoint, verifyConsistencyProof, verifyInclusionProof } from '@sigil/merkle';
import { createStack, type Stack } from '@sigil/stack';
import { loadTrustMaterialFile } from '@sigil/trust';
import { parseEntryBody, verifySignedEntryTimestamp } from '../../src/index.js';
import {
  createRekorClient,
  dsseProposal,
  hashedRekordProposal,
  RekorClientError,
  toTransparencyLogEntry,
  type RekorClient,
  type RekorLogEntry,
} from '../../src/client/index.js';

// The local stack's Rekor, in process, with a certificate from its Fulcio for each signer.
let stack: Stack;
let dir: string;
let rekor: RekorClient;
let signer: Signer;
let certificatePem: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigil-rekor-client-'));
  stack = await createStack({ dir });
  rekor = createRekorClient({ url: stack.rekorURL });
  signer = generateEphemeralSigner();
  const token = await stack.mintToken();
  const { chain } = await createFulcioClient({ url: stack.fulcioURL }).signingCertificateWithCsr({ token, signer });
  certificatePem = derToPem(chain[0]!, 'CERTIFICATE');
});

afterAll(async () => {
  await stack?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function signedArtifact(text: string) {
  const digest = sha256(utf8Encode(text));
  return hashedRekordProposal({ digest, signature: await signer.signDigest(digest), certificatePem });
}

/** What a signer checks of the entry it got back: the SET with the log key, the inclusion proof and its checkpoint. */
async function expectVerifies(entry: RekorLogEntry) {
  const key = await rekor.getPublicKey();
  expect(entry.logId).toEqual(sha256(key.spki));
  const fields = { body: entry.body, integratedTime: entry.integratedTime, logIndex: entry.logIndex, logId: entry.logId };
  expect(verifySignedEntryTimestamp(fields, entry.verification.signedEntryTimestamp, key)).toBe(true);
  const proof = entry.verification.inclusionProof!;
  verifyInclusionProof({ leafHash: leafHash(entry.body), index: proof.logIndex, treeSize: proof.treeSize, proof: proof.hashes, rootHash: proof.rootHash });
  const checkpoint = parseCheckpoint(proof.checkpoint);
  verifyCheckpoint(checkpoint, { name: new URL(stack.rekorURL).host, publicKey: key });
  expect([checkpoint.treeSize, checkpoint.rootHash]).toEqual([proof.treeSize, proof.rootHash]);
}

describe('the local stack Rekor', () => {
  it('accepts a hashedrekord proposal; the entry logs what was sent, its SET and inclusion proof verify', async () => {
    const proposal = await signedArtifact('hello');
    const entry = await rekor.createEntry(proposal);
    const logged = parseEntryBody(entry.body, { kind: 'hashedrekord', version: '0.0.1' });
    expect(logged.artifactDigest?.digest).toEqual(sha256(utf8Encode('hello')));
    await expectVerifies(entry);
  });

  it('the log key is the trusted root tlog key', async () => {
    const [tlog] = loadTrustMaterialFile(stack.trustedRoot).tlogs;
    expect((await rekor.getPublicKey()).spki).toEqual(tlog!.publicKey!.spki);
  });

  it('a duplicate gives back the same entry', async () => {
    const proposal = await signedArtifact('twice');
    const first = await rekor.createEntry(proposal);
    await rekor.createEntry(await signedArtifact('in between'));
    const again = await rekor.createEntry(proposal);
    expect([again.uuid, again.logIndex, again.integratedTime]).toEqual([first.uuid, first.logIndex, first.integratedTime]);
    expect(again.body).toEqual(first.body);
    await expectVerifies(again);
  });

  it('getEntryByIndex and getEntryByUuid give the logged entry, with a fresh proof', async () => {
    const created = await rekor.createEntry(await signedArtifact('look me up'));
    await rekor.createEntry(await signedArtifact('then grow the tree'));
    for (const entry of [await rekor.getEntryByIndex(created.logIndex), await rekor.getEntryByUuid(created.uuid), await rekor.getEntryByUuid(created.uuid.slice(-64))]) {
      expect([entry.uuid, entry.logIndex]).toEqual([created.uuid, created.logIndex]);
      expect(entry.verification.inclusionProof!.treeSize).toBeGreaterThan(created.verification.inclusionProof!.treeSize);
      await expectVerifies(entry);
    }
  });

  it('searchEntries finds the entry of a detached signature by its proposal, and nothing for one never logged', async () => {
    const proposal = await signedArtifact('find me by content');
    const created = await rekor.createEntry(proposal);
    const [found, ...rest] = await rekor.searchEntries([proposal]);
    expect(rest).toEqual([]);
    expect([found!.uuid, found!.logIndex]).toEqual([created.uuid, created.logIndex]);
    await expectVerifies(found!);
    expect(await rekor.searchEntries([await signedArtifact('never logged')])).toEqual([]);
  });

  it('accepts a dsse proposal; its bundle tlog entry says dsse 0.0.1', async () => {
    const payload = utf8Encode(JSON.stringify({ _type: 'https://in-toto.io/Statement/v1', subject: [], predicateType: 'https://example.com/p', predicate: {} }));
    const payloadType = 'application/vnd.in-toto+json';
    const sig = await signer.sign(preAuthEncoding(payloadType, payload));
    const envelopeJson = JSON.stringify({ payload: encodeBase64(payload), payloadType, signatures: [{ sig: encodeBase64(sig), keyid: '' }] });
    const entry = await rekor.createEntry(dsseProposal({ envelopeJson, verifierPems: [certificatePem] }));
    const tlog = toTransparencyLogEntry(entry);
    expect(tlog.kindVersion).toEqual({ kind: 'dsse', version: '0.0.1' });
    expect(parseEntryBody(tlog.canonicalizedBody, tlog.kindVersion).payloadHash?.digest).toEqual(sha256(payload));
    await expectVerifies(entry);
  });

  it('log info and consistency proofs: the tree grows consistently', async () => {
    const before = await rekor.getLogInfo();
    await rekor.createEntry(await signedArtifact('grow'));
    const after = await rekor.getLogInfo();
    expect(after.treeSize).toBe(before.treeSize + 1n);
    const proof = await rekor.getConsistencyProof(before.treeSize, after.treeSize);
    expect(proof.rootHash).toEqual(after.rootHash);
    verifyConsistencyProof({ size1: before.treeSize, size2: after.treeSize, root1: before.rootHash, root2: after.rootHash, proof: proof.hashes });
    verifyCheckpoint(parseCheckpoint(after.signedTreeHead), { name: new URL(stack.rekorURL).host, publicKey: await rekor.getPublicKey() });
  });

  it('a signature that does not verify: REKOR_CLIENT_HTTP 400, not retried', async () => {
    const digest = sha256(utf8Encode('signed'));
    const proposal = hashedRekordProposal({ digest, signature: await signer.signDigest(sha256(utf8Encode('other'))), certificatePem });
    const err = await rekor.createEntry(proposal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RekorClientError);
    expect((err as RekorClientError).code).toBe('REKOR_CLIENT_HTTP');
    expect((err as RekorClientError).details).toMatchObject({ status: 400, serverMessage: expect.any(String) });
    expect(((err as RekorClientError).cause as HttpClientError).details?.attempts).toBe(1);
  });

  it('an index past the end: REKOR_CLIENT_ENTRY_NOT_FOUND', async () => {
    const { treeSize } = await rekor.getLogInfo();
    const err = await rekor.getEntryByIndex(treeSize + 10n).catch((e: unknown) => e);
    expect((err as RekorClientError).code).toBe('REKOR_CLIENT_ENTRY_NOT_FOUND');
  });
});
