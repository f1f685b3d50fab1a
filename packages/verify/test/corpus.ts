import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TrustMaterial } from '@sigil/trust';
import { artifactFromBytes, certificateIdentity, parseDigestArgument, type Artifact, type VerificationPolicy } from '../src/index.js';

export const repoRoot = new URL('../../../', import.meta.url).pathname;
const corpusDir = join(repoRoot, 'test-infra/fixtures/corpus');

export interface CorpusCase {
  name: string;
  bundleText: string;
  bundleJson: Record<string, unknown>;
  artifact: Artifact;
  artifactBytes: Uint8Array | undefined;
  policy: VerificationPolicy;
  trust: TrustMaterial;
  trustedRootJson: Record<string, unknown>;
  identity: string;
  issuer: string;
}

const roots = new Map<string, { json: Record<string, unknown>; trust: TrustMaterial }>();

function rootFor(name: string, spec: { trustedRoot: string }) {
  const file = ['prod', 'staging'].includes(spec.trustedRoot) ? join(corpusDir, 'trusted-roots', `${spec.trustedRoot}.json`) : join(corpusDir, name, spec.trustedRoot);
  let root = roots.get(file);
  if (!root) {
    const text = readFileSync(file, 'utf8');
    root = { json: JSON.parse(text), trust: TrustMaterial.fromJson(text) };
    roots.set(file, root);
  }
  return root;
}

export function corpusCaseNames(): string[] {
  return readdirSync(corpusDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(corpusDir, e.name, 'case.json')))
    .map((e) => e.name)
    .sort();
}

/** One real public-good bundle with its artifact, trust material and expected signer. */
export function loadCorpusCase(name: string): CorpusCase {
  const dir = join(corpusDir, name);
  const spec = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
  const bundleText = readFileSync(join(dir, 'bundle.json'), 'utf8');
  const artifactBytes = existsSync(join(dir, 'artifact')) ? new Uint8Array(readFileSync(join(dir, 'artifact'))) : undefined;
  const artifact = artifactBytes ? artifactFromBytes(artifactBytes) : parseDigestArgument(readFileSync(join(dir, 'digest.txt'), 'utf8').trim())!;
  const root = rootFor(name, spec);
  return {
    name,
    bundleText,
    bundleJson: JSON.parse(bundleText),
    artifact,
    artifactBytes,
    policy: { identities: [certificateIdentity({ identity: spec.identity, issuer: spec.issuer })] },
    trust: root.trust,
    trustedRootJson: root.json,
    identity: spec.identity,
    issuer: spec.issuer,
  };
}
