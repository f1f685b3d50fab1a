// The Rekor v1 API over real HTTP: every endpoint, answers shaped and encoded as Rekor's, and
// every SET, inclusion proof and checkpoint checked the way clients check them.
import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE_MEDIA_TYPE_V0_3, serializeBundle, serializeTrustedRoot, type Bundle, type BundleContent } from '@sigil/bundle';
import { hash, sha256 } from '@sigil/crypto';
import { decodeBase64, decodeHex, derToPem, encodeBase64, encodeHex, utf8Decode, utf8Encode } from '@sigil/encoding';
import { parseCheckpoint, verifyCheckpoint } from '@sigil/merkle';
import { dsseV001Body, hashedRekordV001Body } from '@sigil/rekor';
import { TrustMaterial } from '@sigil/trust';
import { artifactFromBytes, certificateIdentity, Verifier } from '@sigil/verify';
import { buildTrustedRoot, createCertificateAuthority, createCtLog, toBundleEntry } from '../../src/index.js';
import { createEntrySigner, SIGNER_EMAIL, SIGNER_ISSUER } from './support/entries.js';
import { checkConsistency, checkEntryAnswer, postEntry, postJson, request, startRekor, type CheckedEntry, type RunningRekor } from './support/rekor.js';

const ca = createCertificateAuthority();
const ctLog = createCtLog();
const signer = createEntrySigner(ca, [ctLog]);
let rekor: RunningRekor;

beforeAll(async () => {
  rekor = await startRekor({ host: 'rekor.local', treeId: 1193050959916656506n, trustedCas: () => [ca.chain.slice()] });
});
afterAll(() => rekor.stop(true));

const logInfo = async () => (await request(`${rekor.url}/api/v1/log`)).json;

describe('POST /api/v1/log/entries', () => {
  it('logs a hashedrekord as Rekor stores it: 201, ETag, Location, SET, proof and checkpoint', async () => {
    const { proposed, digest, signature } = signer.hashedRekord();
    const before = await logInfo();
    const reply = await postEntry(rekor.url, proposed);
    expect(reply.status).toBe(201);
    expect(reply.headers.get('content-type')).toBe('application/json');
    expect(reply.text.endsWith('}\n')).toBe(true);
    const entry = checkEntryAnswer(reply.json, rekor.key);
    expect(entry.entryId.slice(0, 16)).toBe((1193050959916656506n).toString(16).padStart(16, '0'));
    expect(reply.headers.get('etag')).toBe(entry.entryId);
    expect(reply.headers.get('location')).toBe(`/api/v1/log/entries/${entry.entryId}`);
    expect(entry.logIndex).toBe(BigInt(before.treeSize));
    expect(entry.treeSize).toBe(entry.logIndex + 1n);
    expect(Number(entry.integratedTime)).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 5);
    expect(entry.body).toEqual(hashedRekordV001Body({ digest, algorithm: 'sha256', signature, verifierPem: signer.certificatePem }));
    expect(entry.parsedCheckpoint.origin).toBe('rekor.local - 1193050959916656506');
  });

  it('builds every hashedrekord body exactly as @sigil/rekor does (first and later uses of a certificate)', async () => {
    for (let i = 0; i < 3; i++) {
      const { proposed, digest, signature } = signer.hashedRekord();
      const entry = checkEntryAnswer((await postEntry(rekor.url, proposed)).json, rekor.key);
      expect(utf8Decode(entry.body)).toBe(utf8Decode(hashedRekordV001Body({ digest, algorithm: 'sha256', signature, verifierPem: signer.certificatePem })));
    }
  });

  it('logs a dsse envelope: every signature checked over PAE, the canonical body stored', async () => {
    const { proposed, envelopeText, payload, signature } = signer.dsse();
    const reply = await postEntry(rekor.url, proposed);
    expect(reply.status).toBe(201);
    const entry = checkEntryAnswer(reply.json, rekor.key);
    expect(entry.body).toEqual(
      dsseV001Body({ payloadHash: sha256(payload), envelopeHash: sha256(utf8Encode(envelopeText)), signatures: [{ signature, verifierPem: signer.certificatePem }] }),
    );
  });

  it('answers a duplicate canonical body with 409 and the existing entry in Location, logging nothing', async () => {
    for (const { proposed } of [signer.hashedRekord(), signer.dsse()]) {
      const first = checkEntryAnswer((await postEntry(rekor.url, proposed)).json, rekor.key);
      const size = (await logInfo()).treeSize;
      const again = await postEntry(rekor.url, proposed);
      expect(again.status).toBe(409);
      expect(again.json).toEqual({ code: 409, message: expect.stringContaining(first.entryId), reason: 'REKOR_ENTRY_EXISTS' });
      expect(again.headers.get('location')).toBe(`/api/v1/log/entries/${first.entryId}`);
      expect((await logInfo()).treeSize).toBe(size);
    }
  });

  it('answers concurrent duplicates once with 201 and otherwise 409', async () => {
    const { proposed } = signer.hashedRekord();
    const replies = await Promise.all(Array.from({ length: 6 }, () => postEntry(rekor.url, proposed)));
    expect(replies.map((reply) => reply.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
  });

  it('accepts a PEM public key, other curves, RSA and SHA-384/512 digests (Rekor checks the signature only)', async () => {
    const cases = [
      { type: 'ec', options: { namedCurve: 'P-256' }, algorithm: 'sha512' },
      { type: 'ec', options: { namedCurve: 'P-256' }, algorithm: 'sha384' },
      { type: 'ec', options: { namedCurve: 'P-384' }, algorithm: 'sha384' },
      { type: 'rsa', options: { modulusLength: 2048 }, algorithm: 'sha256' },
    ] as const;
    for (const { type, options, algorithm } of cases) {
      const { privateKey, publicKey } = generateKeyPairSync(type as 'ec', options as { namedCurve: string });
      const artifact = utf8Encode(`artifact for ${type} ${algorithm} ${Math.random()}`);
      const digest = hash(algorithm, artifact);
      const signatureBytes = sign(algorithm, artifact, privateKey);
      const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
      const proposed = {
        apiVersion: '0.0.1',
        kind: 'hashedrekord',
        spec: { data: { hash: { algorithm, value: encodeHex(digest) } }, signature: { content: signatureBytes.toString('base64'), publicKey: { content: encodeBase64(utf8Encode(pem)) } } },
      };
      const reply = await postEntry(rekor.url, proposed);
      expect(reply.status, `${type} ${algorithm}: ${reply.text}`).toBe(201);
      const entry = checkEntryAnswer(reply.json, rekor.key);
      expect(entry.body).toEqual(hashedRekordV001Body({ digest, algorithm, signature: new Uint8Array(signatureBytes), verifierPem: pem }));
    }
  });
});

describe('reading the log', () => {
  let logged: CheckedEntry;
  beforeAll(async () => {
    logged = checkEntryAnswer((await postEntry(rekor.url, signer.hashedRekord().proposed)).json, rekor.key);
    await postEntry(rekor.url, signer.hashedRekord().proposed);
  });

  it('GET /api/v1/log: root hash, size, signed tree head, tree ID as a decimal string', async () => {
    const reply = await request(`${rekor.url}/api/v1/log`);
    expect(reply.status).toBe(200);
    expect(reply.text.endsWith('}\n')).toBe(true);
    expect(Object.keys(reply.json)).toEqual(['inactiveShards', 'rootHash', 'signedTreeHead', 'treeID', 'treeSize']);
    expect(reply.json.inactiveShards).toEqual([]);
    expect(reply.json.treeID).toBe('1193050959916656506');
    const checkpoint = parseCheckpoint(reply.json.signedTreeHead);
    verifyCheckpoint(checkpoint, { name: 'rekor.local', publicKey: rekor.key.publicKey, keyId: rekor.key.logId });
    expect(checkpoint.treeSize).toBe(BigInt(reply.json.treeSize));
    expect(encodeHex(checkpoint.rootHash)).toBe(reply.json.rootHash);
    expect(reply.json.signedTreeHead).toMatch(/^rekor\.local - 1193050959916656506\n\d+\n[A-Za-z0-9+/]+=*\n\n\u2014 rekor\.local [A-Za-z0-9+/]+=*\n$/);
  });

  it('GET /api/v1/log/publicKey: the log key as PEM', async () => {
    const reply = await request(`${rekor.url}/api/v1/log/publicKey`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/x-pem-file');
    expect(reply.text).toBe(derToPem(rekor.service.logKey.spki, 'PUBLIC KEY'));
    expect((await request(`${rekor.url}/api/v1/log/publicKey?treeID=1193050959916656506`)).status).toBe(200);
    expect((await request(`${rekor.url}/api/v1/log/publicKey?treeID=42`)).json).toMatchObject({ code: 400, reason: 'REKOR_QUERY_INVALID' });
  });

  it('GET /api/v1/log/entries/{uuid}: by UUID or entry ID, any case, proved against the current tree', async () => {
    const size = BigInt((await logInfo()).treeSize);
    for (const id of [logged.uuid, logged.entryId, logged.entryId.toUpperCase()]) {
      const reply = await request(`${rekor.url}/api/v1/log/entries/${id}`);
      expect(reply.status).toBe(200);
      const entry = checkEntryAnswer(reply.json, rekor.key);
      expect(entry).toMatchObject({ entryId: logged.entryId, logIndex: logged.logIndex, integratedTime: logged.integratedTime, treeSize: size });
      expect(entry.body).toEqual(logged.body);
      expect(entry.signedEntryTimestamp).toEqual(logged.signedEntryTimestamp);
    }
    expect((await request(`${rekor.url}/api/v1/log/entries/${'0'.repeat(64)}`)).status).toBe(404);
    expect((await request(`${rekor.url}/api/v1/log/entries/${'0'.repeat(16)}${logged.uuid}`)).status).toBe(404);
  });

  it('GET /api/v1/log/entries?logIndex=N', async () => {
    const reply = await request(`${rekor.url}/api/v1/log/entries?logIndex=${logged.logIndex}`);
    expect(reply.status).toBe(200);
    const entry = checkEntryAnswer(reply.json, rekor.key);
    expect(entry.entryId).toBe(logged.entryId);
    const size = (await logInfo()).treeSize;
    const beyond = await request(`${rekor.url}/api/v1/log/entries?logIndex=${size}`);
    expect(beyond.status).toBe(404);
    expect(beyond.json).toMatchObject({ code: 404, message: expect.any(String), reason: 'REKOR_ENTRY_NOT_FOUND' });
  });

  it('POST /api/v1/log/entries/retrieve: UUIDs, proposed entries, then indexes; unknown ones left out', async () => {
    const first = checkEntryAnswer((await request(`${rekor.url}/api/v1/log/entries?logIndex=0`)).json, rekor.key);
    const { proposed } = signer.hashedRekord();
    const known = checkEntryAnswer((await postEntry(rekor.url, proposed)).json, rekor.key);
    const reply = await postJson(`${rekor.url}/api/v1/log/entries/retrieve`, {
      entryUUIDs: [logged.uuid, 'a'.repeat(64), first.entryId],
      logIndexes: [1, 1_000_000],
      entries: [proposed, signer.hashedRekord().proposed],
    });
    expect(reply.status).toBe(200);
    const entries = (reply.json as Record<string, any>[]).map((answer) => checkEntryAnswer(answer, rekor.key));
    expect(entries.map((entry) => entry.logIndex)).toEqual([logged.logIndex, 0n, known.logIndex, 1n]);
  });

  it('GET /api/v1/log/proof: consistency proofs between any two tree heads handed out', async () => {
    const heads = [logged];
    for (let i = 0; i < 3; i++) heads.push(checkEntryAnswer((await postEntry(rekor.url, signer.hashedRekord().proposed)).json, rekor.key));
    const latest = await logInfo();
    heads.push({ ...logged, treeSize: BigInt(latest.treeSize), rootHash: decodeHex(latest.rootHash) });
    for (const [i, earlier] of heads.entries()) for (const later of heads.slice(i)) await checkConsistency(rekor.url, earlier, later);
    const same = await request(`${rekor.url}/api/v1/log/proof?firstSize=${latest.treeSize}&lastSize=${latest.treeSize}`);
    expect(same.json).toEqual({ hashes: [], rootHash: latest.rootHash });
    const defaultFirst = await request(`${rekor.url}/api/v1/log/proof?lastSize=${latest.treeSize}`);
    expect(Object.keys(defaultFirst.json)).toEqual(['hashes', 'rootHash']);
    expect(defaultFirst.text.endsWith('}\n')).toBe(true);
  });
});

describe('bundles made from its answers', () => {
  const trustedRoot = () =>
    serializeTrustedRoot(
      buildTrustedRoot({
        ca,
        caUrl: 'https://fulcio.local',
        tlogs: [{ baseUrl: 'https://rekor.local', spki: rekor.service.logKey.spki, logId: rekor.service.logId }],
        ctlogs: [{ baseUrl: ctLog.baseUrl, spki: ctLog.key.spki, logId: ctLog.logId }],
        validFrom: new Date(Date.now() - 3600_000),
      }),
    );

  const bundle = (entry: CheckedEntry, kind: string, content: BundleContent): string => {
    const logEntry = {
      uuid: entry.uuid,
      entryId: entry.entryId,
      body: entry.body,
      logIndex: entry.logIndex,
      integratedTime: entry.integratedTime,
      logId: rekor.service.logId,
      signedEntryTimestamp: entry.signedEntryTimestamp,
      inclusionProof: { logIndex: entry.logIndex, rootHash: entry.rootHash, treeSize: entry.treeSize, hashes: entry.hashes, checkpoint: entry.checkpoint },
    };
    const value: Bundle = {
      mediaType: BUNDLE_MEDIA_TYPE_V0_3,
      version: '0.3',
      verificationMaterial: { content: { $case: 'certificate', certificate: signer.certificate }, tlogEntries: [toBundleEntry(logEntry)], rfc3161Timestamps: [] },
      content,
    };
    expect(toBundleEntry(logEntry).kindVersion.kind).toBe(kind);
    return JSON.stringify(serializeBundle(value));
  };

  it('verify with @sigil/verify against the trusted root the stack builds', async () => {
    const verifier = new Verifier(TrustMaterial.fromJson(trustedRoot()));
    const policy = { identities: [certificateIdentity({ identity: SIGNER_EMAIL, issuer: SIGNER_ISSUER })] };

    const blob = signer.hashedRekord();
    const blobEntry = checkEntryAnswer((await postEntry(rekor.url, blob.proposed)).json, rekor.key);
    const blobBundle = bundle(blobEntry, 'hashedrekord', { $case: 'messageSignature', messageDigest: { algorithm: 'sha256', digest: blob.digest }, signature: blob.signature });
    expect((await verifier.verify(blobBundle, artifactFromBytes(blob.artifact), policy)).signer?.identity).toBe(SIGNER_EMAIL);
    await expect(verifier.verify(blobBundle, artifactFromBytes(utf8Encode('another artifact')), policy)).rejects.toThrow();

    const attestation = signer.dsse('package.tgz');
    const dsseEntry = checkEntryAnswer((await postEntry(rekor.url, attestation.proposed)).json, rekor.key);
    const envelope = { payload: attestation.payload, payloadType: attestation.envelope.payloadType, signatures: [{ sig: attestation.signature, keyid: '' }] };
    const dsseBundle = bundle(dsseEntry, 'dsse', { $case: 'dsseEnvelope', envelope });
    expect((await verifier.verify(dsseBundle, artifactFromBytes(utf8Encode('package.tgz')), policy)).signer?.identity).toBe(SIGNER_EMAIL);
  });

  it('an entry re-read later carries a proof against the newer tree head that still verifies', async () => {
    const verifier = new Verifier(TrustMaterial.fromJson(trustedRoot()));
    const policy = { identities: [certificateIdentity({ identity: SIGNER_EMAIL, issuer: SIGNER_ISSUER })] };
    const blob = signer.hashedRekord();
    const logged = checkEntryAnswer((await postEntry(rekor.url, blob.proposed)).json, rekor.key);
    await postEntry(rekor.url, signer.hashedRekord().proposed);
    const reread = checkEntryAnswer((await request(`${rekor.url}/api/v1/log/entries/${logged.uuid}`)).json, rekor.key);
    expect(reread.treeSize).toBeGreaterThan(logged.treeSize);
    const text = bundle(reread, 'hashedrekord', { $case: 'messageSignature', messageDigest: { algorithm: 'sha256', digest: blob.digest }, signature: blob.signature });
    expect((await verifier.verify(text, artifactFromBytes(blob.artifact), policy)).signer?.identity).toBe(SIGNER_EMAIL);
    expect(decodeBase64(JSON.parse(text).verificationMaterial.tlogEntries[0].canonicalizedBody)).toEqual(logged.body);
  });
});
