import { describeError } from '@sigil/errors';
import { decodePemBlocks, type PemBlock } from '@sigil/encoding';

export interface VerifierPem {
  type: 'certificate' | 'publicKey';
  label: 'CERTIFICATE' | 'PUBLIC KEY';
  /** One public key, or a certificate chain leaf first. */
  blocks: PemBlock[];
}

/** Reads what Rekor v1 logs as a verifier: one PUBLIC KEY or a CERTIFICATE chain. */
export function readVerifierPem(text: string, fail: (reason: string, cause?: unknown) => never): VerifierPem {
  let blocks: PemBlock[];
  try {
    blocks = decodePemBlocks(text);
  } catch (err) {
    return fail(`expected PEM text (${describeError(err)})`, err);
  }
  const label = blocks[0]!.label;
  const sameLabel = blocks.every((block) => block.label === label);
  if (sameLabel && label === 'CERTIFICATE') return { type: 'certificate', label, blocks };
  if (sameLabel && label === 'PUBLIC KEY' && blocks.length === 1) return { type: 'publicKey', label, blocks };
  return fail(`expected one PUBLIC KEY or a CERTIFICATE chain, found ${blocks.map((b) => b.label).join(', ')}`);
}
