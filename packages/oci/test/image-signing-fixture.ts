import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTestImage, startDockerRegistry, startOciRegistry, type TestImage } from '@sigil/registry';
import type { SignOptions } from '@sigil/sign';
import { createStack, type Stack } from '@sigil/stack';
import { TrustMaterial } from '@sigil/trust';
import { certificateIdentity, createVerifier, type VerificationPolicy, type Verifier } from '@sigil/verify';
import { createRegistryClient, type RegistryClient } from '../src/index.js';

export interface RegistryUnderTest {
  name: string;
  /** `127.0.0.1:PORT` */
  host: string;
  client: RegistryClient;
  close(): Promise<void>;
}

/** The two registries of the image tests: Debian's distribution 2.8 (tag fallback) and the in-repo one (referrers API). */
export const REGISTRIES = ['docker-registry', 'oci-registry'] as const;

export async function startRegistry(name: (typeof REGISTRIES)[number]): Promise<RegistryUnderTest> {
  const credentials = { username: 'ci-user', password: 'registry-password-1' };
  const registry = name === 'docker-registry' ? await startDockerRegistry({ auth: credentials }) : await startOciRegistry({ auth: { kind: 'bearer', ...credentials } });
  const client = createRegistryClient({ allowInsecure: true, credentials, http: { retries: 1, retryDelayMs: 5, timeoutMs: 10_000 } });
  return { name, host: registry.host, client, close: () => registry.close() };
}

/** Pushes a test image with Sigil's own client; returns `host/repository:tag` and its digest. */
export async function pushImage(registry: RegistryUnderTest, repository: string, tag: string, image: TestImage = buildTestImage()): Promise<{ ref: string; digest: string }> {
  const ref = `${registry.host}/${repository}:${tag}`;
  await registry.client.pushBlob(ref, image.layer.bytes);
  await registry.client.pushBlob(ref, image.config.bytes);
  const { digest } = await registry.client.putManifest(ref, tag, image.manifest, image.mediaType);
  return { ref, digest };
}

export interface SigningSetup {
  stack: Stack;
  trust: TrustMaterial;
  verifier: Verifier;
  /** Signing options with a fresh token for a GitLab job of `project`. */
  signing(project?: string): Promise<SignOptions>;
  /** The policy a consumer types for that project's default branch. */
  policy(project?: string): VerificationPolicy;
  close(): Promise<void>;
}

export const PROJECT = 'sigil-group/app';

export async function startSigning(): Promise<SigningSetup> {
  const dir = mkdtempSync(join(tmpdir(), 'sigil-oci-sign-'));
  const stack = await createStack({ dir });
  const trust = TrustMaterial.fromJson(JSON.parse(readFileSync(stack.trustedRoot, 'utf8')));
  const host = new URL(stack.oidcIssuer).host;
  return {
    stack,
    trust,
    verifier: createVerifier(trust),
    signing: async (project = PROJECT) => ({
      identityToken: await stack.mintToken({ project }),
      fulcioURL: stack.fulcioURL,
      rekorURL: stack.rekorURL,
      tsaURL: stack.tsaURL,
      trust,
    }),
    policy: (project = PROJECT) => ({
      identities: [certificateIdentity({ identity: `https://${host}/${project}//.gitlab-ci.yml@refs/heads/main`, issuer: stack.oidcIssuer })],
    }),
    close: async () => {
      await stack.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
