// Makes a signed large artifact for the throughput benchmark: the file, a bundle over its
// SHA-256 from the in-process local Sigstore, and that instance's trusted root.
import { createHash, randomFillSync } from 'node:crypto';
import { openSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createVirtualSigstore } from '@sigil/stack';

export const IDENTITY = 'https://gitlab.com/sigil/bench//.gitlab-ci.yml@refs/heads/main';
export const ISSUER = 'https://gitlab.com';

export function makeSignedArtifact(dir: string, bytes: number): { artifact: string; bundle: string; trustedRoot: string } {
  const artifact = join(dir, `artifact-${bytes}`);
  const chunk = Buffer.alloc(4 * 1024 * 1024);
  const hash = createHash('sha256');
  const fd = openSync(artifact, 'w');
  for (let written = 0; written < bytes; written += chunk.length) {
    const part = chunk.subarray(0, Math.min(chunk.length, bytes - written));
    randomFillSync(part);
    hash.update(part);
    writeSync(fd, part);
  }
  closeSync(fd);
  const sigstore = createVirtualSigstore();
  const bundleJson = sigstore.signBlob({
    digest: { sha256: new Uint8Array(hash.digest()) },
    identity: { san: { type: 'uri', value: IDENTITY }, issuer: ISSUER, extensions: {} },
  });
  const bundle = `${artifact}.sigstore.json`;
  const trustedRoot = join(dir, `trusted_root-${bytes}.json`);
  writeFileSync(bundle, JSON.stringify(bundleJson));
  writeFileSync(trustedRoot, JSON.stringify(sigstore.trustedRootJson));
  return { artifact, bundle, trustedRoot };
}
