// End to end on real data: a logged body, its inclusion proof and its signed checkpoint,
// checked the way a verifier must (PROTOCOLS 6.3e) with @sigil/merkle and the trusted root.
import { describe, expect, it } from 'vitest';
import { importPublicKey } from '@sigil/crypto';
import { leafHash, MerkleError, parseCheckpoint, verifyCheckpoint, verifyInclusionProof, type CheckpointKey } from '@sigil/merkle';
import { entryUuid } from '../src/index.js';
import { b64, conformanceCases, corpusCases, toHex, type BundleCase, type TrustedLog } from './fixtures.js';

/**
 * The checkpoint key of a trusted root tlog, for Rekor v1 and v2 alike: the key name is
 * baseUrl without its scheme (host, and port when there is one), the key ID the first 4
 * bytes of checkpointKeyId, else of logId.keyId.
 */
function checkpointKey(log: TrustedLog): CheckpointKey {
  const url = new URL(log.baseUrl);
  return {
    name: url.host + url.pathname.replace(/\/$/, ''),
    publicKey: importPublicKey(b64(log.publicKey.rawBytes)),
    keyId: b64(log.checkpointKeyId?.keyId ?? log.logId.keyId),
  };
}

/** Everything a verifier checks about an entry's inclusion; throws on the first failure. */
function verifyEntryInLog({ entry, log }: BundleCase): void {
  const proof = entry.inclusionProof;
  const checkpoint = parseCheckpoint(proof.checkpoint.envelope);
  verifyCheckpoint(checkpoint, checkpointKey(log));
  // The proof must be tied to the signed checkpoint, size and root both.
  if (checkpoint.treeSize !== BigInt(proof.treeSize) || toHex(checkpoint.rootHash) !== toHex(b64(proof.rootHash))) {
    throw new Error('checkpoint does not match the inclusion proof');
  }
  verifyInclusionProof({
    leafHash: leafHash(b64(entry.canonicalizedBody)),
    index: BigInt(proof.logIndex),
    treeSize: checkpoint.treeSize,
    proof: proof.hashes.map(b64),
    rootHash: checkpoint.rootHash,
  });
}

const withCheckpoint = (cases: BundleCase[]) => cases.filter((c) => c.entry.inclusionProof?.checkpoint);

describe('Rekor inclusion proofs and checkpoints: every real bundle', () => {
  const cases = withCheckpoint(corpusCases());
  it('covers Rekor v1 and v2 entries, production and staging', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    expect(cases.some((c) => c.entry.kindVersion.version === '0.0.2')).toBe(true);
  });

  for (const c of cases) {
    it(`${c.name}: the logged body is in the log the checkpoint signs`, () => {
      verifyEntryInLog(c);
      expect(entryUuid(b64(c.entry.canonicalizedBody))).toBe(toHex(leafHash(b64(c.entry.canonicalizedBody))));
    });
  }

  it('fails for a changed body byte, and for the global instead of the tree-local index', () => {
    const c = cases.find((x) => x.entry.logIndex !== x.entry.inclusionProof.logIndex)!;
    const body = b64(c.entry.canonicalizedBody);
    body[10]! ^= 1;
    const changed = { ...c, entry: { ...c.entry, canonicalizedBody: Buffer.from(body).toString('base64') } };
    expect(() => verifyEntryInLog(changed)).toThrow(MerkleError);
    const globalIndex = { ...c, entry: { ...c.entry, inclusionProof: { ...c.entry.inclusionProof, logIndex: c.entry.logIndex } } };
    expect(() => verifyEntryInLog(globalIndex)).toThrow(MerkleError);
  });
});

describe('Rekor inclusion proofs and checkpoints: sigstore-conformance', () => {
  // Cases whose log evidence itself is broken; every other case with a checkpoint must pass
  // this step (they fail, if at all, elsewhere).
  const BROKEN_LOG_EVIDENCE = new Set([
    'bundle-invalid-base64-signature_fail', // body changed after logging
    'incorrect-public-key_fail', // body changed after logging
    'inclusion-proof-corrupted-hash_fail',
    'checkpoint-bad-keyhint_fail',
    'checkpoint-wrong-roothash_fail',
    'invalid-checkpoint-signature_fail',
    'rekor2-checkpoint-missing-log-signature_fail',
    'rekor2-checkpoint-missing-origin_fail',
    'rekor2-checkpoint-missing-root-hash_fail',
    'rekor2-checkpoint-missing-size_fail',
    'rekor2-checkpoint-no-matching-signature_fail',
  ]);
  // Its log is not in the trusted root: nothing to verify against.
  const cases = withCheckpoint(conformanceCases()).filter((c) => c.name !== 'bundle-from-wrong-instance_fail');

  for (const c of cases) {
    const broken = BROKEN_LOG_EVIDENCE.has(c.name);
    it(`${c.name}: log evidence ${broken ? 'rejected' : 'verifies'}`, () => {
      if (broken) expect(() => verifyEntryInLog(c)).toThrow();
      else verifyEntryInLog(c);
    });
  }

  it('includes a custom log whose key name carries a port (localhost:8000)', () => {
    const custom = cases.find((c) => c.name === 'intoto-with-custom-trust-root')!;
    expect(checkpointKey(custom.log).name).toBe('localhost:8000');
  });
});
