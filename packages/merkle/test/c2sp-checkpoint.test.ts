import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromKeyObject, importPublicKey, type PublicKey } from '@sigil/crypto';
import {
  checkpointKeyId,
  MerkleTree,
  parseCheckpoint,
  signCheckpoint,
  verifyCheckpoint,
  type Checkpoint,
  type CheckpointKey,
  type MerkleErrorCode,
} from '../src/index.js';
import { expectMerkleError } from './expect-error.js';
import { b64, makeEntries, readJsonFixture, toHex } from './fixtures.js';

// ---- real checkpoints --------------------------------------------------------------------

interface TrustedLog {
  baseUrl: string;
  logId: { keyId: string };
  checkpointKeyId?: { keyId: string };
  publicKey: { rawBytes: string };
}

/** baseUrl without its scheme: the log's key name (host, and port when there is one). */
const keyName = (baseUrl: string) => {
  const url = new URL(baseUrl);
  return url.host + url.pathname.replace(/\/$/, '');
};

/** How a verifier derives the checkpoint key from a trusted root tlog (see README). */
function keyFromTrustedLog(log: TrustedLog, withKeyId = true): CheckpointKey {
  return {
    name: keyName(log.baseUrl),
    publicKey: importPublicKey(b64(log.publicKey.rawBytes)),
    keyId: withKeyId ? b64(log.checkpointKeyId?.keyId ?? log.logId.keyId) : undefined,
  };
}

function conformanceCase(name: string): { checkpoint: string; log: TrustedLog; proof: any } {
  const dir = `conformance/bundle-verify/${name}`;
  const bundle = readJsonFixture(`${dir}/bundle.sigstore.json`);
  let root;
  try {
    root = readJsonFixture(`${dir}/trusted_root.json`);
  } catch {
    root = readJsonFixture('corpus/trusted-roots/prod.json');
  }
  const entry = bundle.verificationMaterial.tlogEntries[0];
  const log = root.tlogs.find((t: TrustedLog) => t.logId.keyId === entry.logId.keyId);
  return { checkpoint: entry.inclusionProof.checkpoint.envelope, log, proof: entry.inclusionProof };
}

// What each sigstore-conformance checkpoint case needs from this package: null = the
// checkpoint parses and verifies with the log's key (other checks may still fail the bundle).
const CONFORMANCE: Record<string, MerkleErrorCode | null> = {
  'happy-path-v0.3': null,
  'rekor2-happy-path': null,
  'checkpoint-bad-keyhint_fail': 'MERKLE_CHECKPOINT_NO_SIGNATURE',
  'checkpoint-wrong-roothash_fail': null,
  'invalid-checkpoint-signature_fail': 'MERKLE_CHECKPOINT_SIGNATURE_INVALID',
  'rekor2-checkpoint-cosigned': null,
  'rekor2-checkpoint-multiple-cosigs': null,
  'rekor2-checkpoint-origin-not-first': null,
  'rekor2-checkpoint-two-sigs-cosigned': null,
  'rekor2-checkpoint-two-sigs-from-origin': null,
  'rekor2-checkpoint-missing-log-signature_fail': 'MERKLE_CHECKPOINT_MALFORMED',
  'rekor2-checkpoint-missing-origin_fail': 'MERKLE_CHECKPOINT_MALFORMED',
  'rekor2-checkpoint-missing-root-hash_fail': 'MERKLE_CHECKPOINT_MALFORMED',
  'rekor2-checkpoint-missing-size_fail': 'MERKLE_CHECKPOINT_MALFORMED',
  'rekor2-checkpoint-no-matching-signature_fail': 'MERKLE_CHECKPOINT_NO_SIGNATURE',
};

describe('C2SP checkpoints: sigstore-conformance cases', () => {
  for (const [name, code] of Object.entries(CONFORMANCE)) {
    for (const withKeyId of [true, false]) {
      it(`${name}: ${code ?? 'verifies'} (key ID ${withKeyId ? 'from the trusted root' : 'computed'})`, () => {
        const { checkpoint, log } = conformanceCase(name);
        const run = () => verifyCheckpoint(parseCheckpoint(checkpoint), keyFromTrustedLog(log, withKeyId));
        if (code) expectMerkleError(run, code);
        else expect(run().name).toBe(keyName(log.baseUrl));
      });
    }
  }

  it('checkpoint-wrong-roothash_fail: a genuine checkpoint whose size and root differ from the proof', () => {
    const { checkpoint, proof } = conformanceCase('checkpoint-wrong-roothash_fail');
    const parsed = parseCheckpoint(checkpoint);
    expect(parsed.treeSize).not.toBe(BigInt(proof.treeSize));
    expect(toHex(parsed.rootHash)).not.toBe(toHex(b64(proof.rootHash)));
  });

  it('keeps witness cosignatures as signature lines, unverified', () => {
    const parsed = parseCheckpoint(conformanceCase('rekor2-checkpoint-multiple-cosigs').checkpoint);
    expect(parsed.signatures.map((s) => s.name)).toEqual(['log2025-alpha1.rekor.sigstage.dev', 'witness.example/w1', 'witness.example/w2']);
    // A timestamped cosignature (type 0x04): 8-byte timestamp + 64-byte Ed25519 signature.
    expect(parsed.signatures[1]!.signature).toHaveLength(72);
  });

  it('refuses a signature line that matches the key by name and ID but not by signature', () => {
    const { checkpoint, log } = conformanceCase('rekor2-checkpoint-two-sigs-from-origin');
    const key = keyFromTrustedLog(log);
    const parsed = parseCheckpoint(checkpoint);
    // Give the stray ECDSA line the log's key ID: it now claims to be the log and must verify.
    const forged: Checkpoint = { ...parsed, signatures: parsed.signatures.map((s) => ({ ...s, keyHint: key.keyId!.slice(0, 4) })) };
    expectMerkleError(() => verifyCheckpoint(forged, key), 'MERKLE_CHECKPOINT_SIGNATURE_INVALID');
  });
});

describe('C2SP checkpoints: real Rekor v1 and v2 checkpoints in the corpus', () => {
  const prod = readJsonFixture('corpus/trusted-roots/prod.json');
  const staging = readJsonFixture('corpus/trusted-roots/staging.json');
  const cases = ['java-v01-prod-google', 'cosign-oci-attestation', 'java-tsa-staging', 'java-rekor2-prod-dsse', 'py-rekor2-staging-hashedrekord'];
  for (const name of cases) {
    it(`${name}: verifies with the trusted root's key`, () => {
      const caseInfo = readJsonFixture(`corpus/${name}/case.json`);
      const root = caseInfo.trustedRoot === 'staging' ? staging : prod;
      const entry = readJsonFixture(`corpus/${name}/bundle.json`).verificationMaterial.tlogEntries[0];
      const log = root.tlogs.find((t: TrustedLog) => t.logId.keyId === entry.logId.keyId);
      const checkpoint = parseCheckpoint(entry.inclusionProof.checkpoint.envelope);
      verifyCheckpoint(checkpoint, keyFromTrustedLog(log));
      verifyCheckpoint(checkpoint, keyFromTrustedLog(log, false));
      expect(checkpoint.treeSize).toBe(BigInt(entry.inclusionProof.treeSize));
      expect(toHex(checkpoint.rootHash)).toBe(toHex(b64(entry.inclusionProof.rootHash)));
    });
  }

  it('derives the public-good key IDs: SHA-256(SPKI) for ECDSA, C2SP for Ed25519 (= the logId)', () => {
    for (const log of prod.tlogs as TrustedLog[]) {
      const key = importPublicKey(b64(log.publicKey.rawBytes));
      expect(toHex(checkpointKeyId(keyName(log.baseUrl), key))).toBe(toHex(b64(log.logId.keyId)));
    }
  });

  it('parses a Rekor v1 checkpoint with its Timestamp extension line', () => {
    const parsed = parseCheckpoint(conformanceCase('invalid-checkpoint-signature_fail').checkpoint);
    expect(parsed.origin).toBe('rekor.sigstore.dev - 2605736670972794746');
    expect(parsed.treeSize).toBe(23083062n);
    expect(parsed.extensions).toEqual(['Timestamp: 1689177396617352539']);
    expect(parsed.signedText.endsWith('Timestamp: 1689177396617352539\n')).toBe(true);
  });
});

// ---- signing, and the parser's strictness -----------------------------------------------

function ecdsaSigner(name: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const key = fromKeyObject(publicKey);
  const keyHint = checkpointKeyId(name, key).slice(0, 4);
  return { key, signer: { name, keyHint, sign: (data: Uint8Array) => new Uint8Array(nodeSign('sha256', data, privateKey)) } };
}

function ed25519Signer(name: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const key = fromKeyObject(publicKey);
  const keyHint = checkpointKeyId(name, key).slice(0, 4);
  return { key, signer: { name, keyHint, sign: (data: Uint8Array) => new Uint8Array(nodeSign(null, data, privateKey)) } };
}

describe('C2SP checkpoints: signCheckpoint round trip', () => {
  const tree = new MerkleTree();
  makeEntries(9).forEach((entry) => tree.append(entry));
  const content = { origin: 'rekor.local - 42', treeSize: tree.size, rootHash: tree.rootHash() };

  it('signs with an ECDSA P-256 key in the Rekor v1 form and verifies', () => {
    const { key, signer } = ecdsaSigner('rekor.local');
    const note = signCheckpoint(content, [signer]);
    expect(note.startsWith(`rekor.local - 42\n9\n${Buffer.from(tree.rootHash()).toString('base64')}\n\n\u2014 rekor.local `)).toBe(true);
    const parsed = parseCheckpoint(note);
    expect(parsed).toMatchObject({ origin: 'rekor.local - 42', treeSize: 9n, extensions: [] });
    expect(toHex(parsed.rootHash)).toBe(toHex(tree.rootHash()));
    verifyCheckpoint(parsed, { name: 'rekor.local', publicKey: key });
    verifyCheckpoint(parsed, { name: 'rekor.local', publicKey: key, keyId: checkpointKeyId('rekor.local', key) });
  });

  it('signs with Ed25519 and a witness, with extension lines, and each key verifies its own line', () => {
    const log = ed25519Signer('log.example');
    const witness = ed25519Signer('witness.example/w');
    const note = signCheckpoint({ ...content, origin: 'log.example', extensions: ['Timestamp: 1'] }, [log.signer, witness.signer]);
    const parsed = parseCheckpoint(note);
    expect(parsed.extensions).toEqual(['Timestamp: 1']);
    expect(verifyCheckpoint(parsed, { name: 'log.example', publicKey: log.key }).name).toBe('log.example');
    expect(verifyCheckpoint(parsed, { name: 'witness.example/w', publicKey: witness.key }).name).toBe('witness.example/w');
    expectMerkleError(() => verifyCheckpoint(parsed, { name: 'log.example', publicKey: witness.key }), 'MERKLE_CHECKPOINT_NO_SIGNATURE');
  });

  it('rejects a verifying key whose name or ID does not match any line', () => {
    const { key, signer } = ecdsaSigner('rekor.local');
    const parsed = parseCheckpoint(signCheckpoint(content, [signer]));
    expectMerkleError(() => verifyCheckpoint(parsed, { name: 'rekor.other', publicKey: key }), 'MERKLE_CHECKPOINT_NO_SIGNATURE');
    expectMerkleError(() => verifyCheckpoint(parsed, { name: 'rekor.local', publicKey: key, keyId: new Uint8Array(4) }), 'MERKLE_CHECKPOINT_NO_SIGNATURE');
    // Right name and ID, wrong key: the line is the key's and must verify.
    const other = ecdsaSigner('rekor.local');
    expectMerkleError(() => verifyCheckpoint(parsed, { name: 'rekor.local', publicKey: other.key, keyId: signer.keyHint }), 'MERKLE_CHECKPOINT_SIGNATURE_INVALID');
  });

  it('rejects a note whose text changed after signing', () => {
    const { key, signer } = ecdsaSigner('rekor.local');
    const note = signCheckpoint(content, [signer]);
    const tampered = parseCheckpoint(note.replace('\n9\n', '\n10\n'));
    expectMerkleError(() => verifyCheckpoint(tampered, { name: 'rekor.local', publicKey: key }), 'MERKLE_CHECKPOINT_SIGNATURE_INVALID');
  });

  it('refuses bad signing input', () => {
    const { signer } = ecdsaSigner('rekor.local');
    const bad = (patch: object, signers: unknown = [signer]) => () => signCheckpoint({ ...content, ...patch } as never, signers as never);
    expectMerkleError(bad({ origin: '' }), 'MERKLE_INPUT_INVALID');
    expectMerkleError(bad({ origin: 'a\nb' }), 'MERKLE_INPUT_INVALID');
    expectMerkleError(bad({ extensions: ['ok', ''] }), 'MERKLE_INPUT_INVALID');
    expectMerkleError(bad({ extensions: 'x' }), 'MERKLE_INPUT_INVALID');
    expectMerkleError(bad({ treeSize: -1n }), 'MERKLE_TREE_SIZE_INVALID');
    expectMerkleError(bad({ treeSize: 9 }), 'MERKLE_INPUT_INVALID');
    expectMerkleError(bad({ rootHash: new Uint8Array(20) }), 'MERKLE_HASH_SIZE_INVALID');
    expectMerkleError(bad({}, []), 'MERKLE_INPUT_INVALID');
    expectMerkleError(bad({}, [{ ...signer, name: 'has space' }]), 'MERKLE_INPUT_INVALID');
    expectMerkleError(bad({}, [{ ...signer, name: 'a+b' }]), 'MERKLE_INPUT_INVALID');
    expectMerkleError(bad({}, [{ ...signer, keyHint: new Uint8Array(5) }]), 'MERKLE_INPUT_INVALID');
    expectMerkleError(bad({}, [{ ...signer, sign: 'no' }]), 'MERKLE_INPUT_INVALID');
    expectMerkleError(bad({}, [null]), 'MERKLE_INPUT_INVALID');
    expectMerkleError(bad({}, [{ ...signer, sign: () => { throw new Error('HSM offline'); } }]), 'MERKLE_SIGNER_FAILED');
    expectMerkleError(bad({}, [{ ...signer, sign: () => 'sig' }]), 'MERKLE_SIGNER_FAILED');
  });
});

describe('C2SP checkpoints: parseCheckpoint strictness', () => {
  const ROOT = Buffer.alloc(32, 7).toString('base64');
  const SIG = `\u2014 log.example ${Buffer.alloc(40, 1).toString('base64')}\n`;
  const note = (text: string, sigs = SIG) => `${text}\n${sigs}`;

  it('parses the minimal form', () => {
    const parsed = parseCheckpoint(note(`log.example\n0\n${ROOT}\n`));
    expect(parsed).toMatchObject({ origin: 'log.example', treeSize: 0n, extensions: [], signedText: `log.example\n0\n${ROOT}\n` });
    expect(parsed.signatures).toHaveLength(1);
    expect(parsed.signatures[0]!.keyHint).toEqual(new Uint8Array(4).fill(1));
    expect(parsed.signatures[0]!.signature).toHaveLength(36);
  });

  it('splits at the last blank line', () => {
    // An empty line inside what would be the text is not a checkpoint.
    expectMerkleError(() => parseCheckpoint(note(`log.example\n1\n${ROOT}\n`, `${SIG}\n${SIG}`)), 'MERKLE_CHECKPOINT_MALFORMED');
  });

  const malformed: [string, unknown][] = [
    ['not a string', 42],
    ['no blank line', `log.example\n1\n${ROOT}\n${SIG}`],
    ['no signature lines', `log.example\n1\n${ROOT}\n\n`],
    ['signature block without final newline', note(`log.example\n1\n${ROOT}\n`, SIG.slice(0, -1))],
    ['missing origin', note(`1\n${ROOT}\n`)],
    ['missing size', note(`log.example\n${ROOT}\n`)],
    ['missing root', note('log.example\n1\n')],
    ['empty origin', note(`\n1\n${ROOT}\n`)],
    ['empty extension line', note(`log.example\n1\n${ROOT}\n\nx\n`)],
    ['size with a sign', note(`log.example\n+1\n${ROOT}\n`)],
    ['size with leading zero', note(`log.example\n01\n${ROOT}\n`)],
    ['size in hex', note(`log.example\n0x10\n${ROOT}\n`)],
    ['size of 2^64', note(`log.example\n18446744073709551616\n${ROOT}\n`)],
    ['size too long', note(`log.example\n${'9'.repeat(30)}\n${ROOT}\n`)],
    ['root not base64', note('log.example\n1\nnot*base64\n')],
    ['root url-safe base64', note(`log.example\n1\n${Buffer.alloc(32, 251).toString('base64url')}=\n`)],
    ['root without padding', note(`log.example\n1\n${ROOT.replace('=', '')}\n`)],
    ['root with stray bits', note(`log.example\n1\n${ROOT.replace(/.=$/, 'd=')}\n`)],
    ['root of 31 bytes', note(`log.example\n1\n${Buffer.alloc(31).toString('base64')}\n`)],
    ['carriage return', note(`log.example\r\n1\n${ROOT}\n`)],
    ['tab in origin', note(`log\texample\n1\n${ROOT}\n`)],
    ['lone surrogate', note(`log\ud800\n1\n${ROOT}\n`)],
    ['signature line without em dash', note(`log.example\n1\n${ROOT}\n`, SIG.replace('\u2014', '-'))],
    ['signature line without space after dash', note(`log.example\n1\n${ROOT}\n`, SIG.replace('\u2014 ', '\u2014'))],
    ['signature line with extra field', note(`log.example\n1\n${ROOT}\n`, SIG.replace(' ', ' a '))],
    ['signature key name with plus', note(`log.example\n1\n${ROOT}\n`, SIG.replace('log.example', 'log+example'))],
    ['signature not base64', note(`log.example\n1\n${ROOT}\n`, '\u2014 log.example ???\n')],
    ['signature of only a key ID', note(`log.example\n1\n${ROOT}\n`, `\u2014 log.example ${Buffer.alloc(4).toString('base64')}\n`)],
    ['empty signature line', note(`log.example\n1\n${ROOT}\n`, `${SIG}\n`)],
    ['too many signatures', note(`log.example\n1\n${ROOT}\n`, SIG.repeat(101))],
    ['too long', note(`log.example\n1\n${ROOT}\n${'x'.repeat(1 << 20)}\n`)],
  ];
  for (const [what, input] of malformed) {
    it(`rejects ${what}`, () => expectMerkleError(() => parseCheckpoint(input as string), 'MERKLE_CHECKPOINT_MALFORMED'));
  }

  it('accepts 100 signature lines and extension lines', () => {
    const parsed = parseCheckpoint(note(`log.example\n1\n${ROOT}\next one\next two\n`, SIG.repeat(100)));
    expect(parsed.extensions).toEqual(['ext one', 'ext two']);
    expect(parsed.signatures).toHaveLength(100);
  });
});

describe('C2SP checkpoints: verifyCheckpoint and checkpointKeyId input errors', () => {
  const { key, signer } = ecdsaSigner('rekor.local');
  const parsed = parseCheckpoint(signCheckpoint({ origin: 'o', treeSize: 1n, rootHash: new Uint8Array(32) }, [signer]));
  const rsa = fromKeyObject(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey);

  it('refuses bad keys', () => {
    const bad = (k: unknown) => () => verifyCheckpoint(parsed, k as CheckpointKey);
    expectMerkleError(bad(null), 'MERKLE_CHECKPOINT_KEY_INVALID');
    expectMerkleError(bad({ name: '', publicKey: key }), 'MERKLE_CHECKPOINT_KEY_INVALID');
    expectMerkleError(bad({ name: 'a b', publicKey: key }), 'MERKLE_CHECKPOINT_KEY_INVALID');
    expectMerkleError(bad({ name: 'rekor.local', publicKey: 'pem' }), 'MERKLE_CHECKPOINT_KEY_INVALID');
    expectMerkleError(bad({ name: 'rekor.local', publicKey: key, keyId: new Uint8Array(3) }), 'MERKLE_CHECKPOINT_KEY_INVALID');
    expectMerkleError(bad({ name: 'rekor.local', publicKey: rsa }), 'MERKLE_CHECKPOINT_KEY_INVALID');
    expectMerkleError(() => checkpointKeyId('a+b', key), 'MERKLE_CHECKPOINT_KEY_INVALID');
    expectMerkleError(() => checkpointKeyId('ok', {} as PublicKey), 'MERKLE_CHECKPOINT_KEY_INVALID');
    expectMerkleError(() => checkpointKeyId('ok', { kind: 'ed25519', spki: new Uint8Array(44) } as PublicKey), 'MERKLE_CHECKPOINT_KEY_INVALID');
  });

  it('verifies an RSA-signed note when the key ID is given', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyHint = Uint8Array.of(1, 2, 3, 4);
    const note = signCheckpoint({ origin: 'o', treeSize: 1n, rootHash: new Uint8Array(32) }, [
      { name: 'rsa.example', keyHint, sign: (data) => new Uint8Array(nodeSign('sha256', data, privateKey)) },
    ]);
    verifyCheckpoint(parseCheckpoint(note), { name: 'rsa.example', publicKey: fromKeyObject(publicKey), keyId: keyHint });
  });

  it('refuses something that is not a parsed checkpoint', () => {
    expectMerkleError(() => verifyCheckpoint('note' as never, { name: 'rekor.local', publicKey: key }), 'MERKLE_INPUT_INVALID');
    expectMerkleError(() => verifyCheckpoint({ signedText: 'x', signatures: 'y' } as never, { name: 'rekor.local', publicKey: key }), 'MERKLE_INPUT_INVALID');
    // Lines with broken fields never verify.
    const broken = { ...parsed, signatures: [{ name: 'rekor.local', keyHint: signer.keyHint, signature: 'x' }] } as never;
    expectMerkleError(() => verifyCheckpoint(broken, { name: 'rekor.local', publicKey: key }), 'MERKLE_CHECKPOINT_SIGNATURE_INVALID');
    const noLines = { ...parsed, signatures: [null] } as never;
    expectMerkleError(() => verifyCheckpoint(noLines, { name: 'rekor.local', publicKey: key }), 'MERKLE_CHECKPOINT_NO_SIGNATURE');
  });
});
