import { derToPem, encodeBase64 } from '@sigil/encoding';
import type { KeySignResult, SignResult } from '@sigil/sign';
import { OCI_INDEX, DOCKER_MANIFEST_LIST, parseImageReference, referenceTo, signImage, type RegistryClient, type SignedImage } from '@sigil/oci';
import { usageError } from '../cli-error.js';
import type { Command, Io } from '../command.js';
import { SIGN_FLAGS } from '../flag-sets/commands.js';
import { checkKeyFlags, keySigningFromFlags, type KeySigningFlags } from '../options/key-signing.js';
import { keylessSigningFromFlags } from '../options/keyless-signing.js';
import { annotationsFromFlags, referrersModeFromFlag, registryClientFromFlags, signatureRepositoryFromEnv, type RegistryFlags } from '../options/registry.js';
import { writeOutputFiles, type OutputFile } from '../output-file.js';
import { logged, signedBy } from '../signing-report.js';

type SignFlags = KeySigningFlags &
  RegistryFlags & {
    annotations?: string[];
    'new-bundle-format'?: boolean;
    'legacy-format'?: boolean;
    upload?: boolean;
    bundle?: string;
    recursive?: boolean;
    'output-signature'?: string;
    'output-certificate'?: string;
    'registry-referrers-mode'?: string;
  };

export const signImageCommand: Command = {
  name: 'sign',
  summary: 'Sign container images by digest, keylessly or with --key, and store the signatures in the registry (cosign 3 bundles, or cosign 2 .sig tags)',
  usage: 'sigil sign IMAGE [IMAGE...] [--yes] [--identity-token TOKEN|FILE | --key FILE|env://VAR|gitlab://GROUP/PROJECT] [-a KEY=VALUE,...] [--bundle FILE] [--upload=false] [-r] [flags]',
  examples: [
    'sigil sign --yes "$CI_REGISTRY_IMAGE@$IMAGE_DIGEST"',
    'sigil sign --yes -a env=prod,team=payments registry.example.com/app@sha256:...',
    'COSIGN_REPOSITORY=registry.example.com/signatures sigil sign --yes registry.example.com/app@sha256:...',
    'sigil sign --yes --new-bundle-format=false IMAGE    # cosign 2\'s .sig tag, for older verifiers',
  ],
  flags: SIGN_FLAGS,
  cosign: true,
  async run(values, positionals, io) {
    const flags = values as SignFlags;
    if (positionals.length === 0) throw usageError('expected at least one image to sign');
    if (flags['new-bundle-format'] === true && flags['legacy-format']) throw usageError('--new-bundle-format and --legacy-format cannot be combined');
    const legacy = flags['legacy-format'] === true || flags['new-bundle-format'] === false;
    const mode = referrersModeFromFlag(flags['registry-referrers-mode']);
    if (legacy && mode === 'oci-1-1') throw usageError('--registry-referrers-mode oci-1-1 with the legacy format is not supported', 'cosign 3\'s bundle format is stored as an OCI 1.1 referrer: drop --new-bundle-format=false');
    checkKeyFlags(flags);
    if (flags.key !== undefined && flags['output-certificate'] !== undefined) throw usageError('--output-certificate with --key: a key-signed bundle holds no certificate to write');
    const upload = flags.upload !== false;
    const annotations = annotationsFromFlags(flags.annotations);
    const client = registryClientFromFlags(flags, process.env, io.stderr);
    const signing = flags.key !== undefined ? await keySigningFromFlags(flags, io) : await keylessSigningFromFlags(flags, io);
    const signatureRepository = signatureRepositoryFromEnv();
    const images = flags.recursive ? await withIndexChildren(client, positionals) : positionals;
    let last: SignedImage<SignResult | KeySignResult> | undefined;
    for (const image of images) {
      const options = { client, format: legacy ? ('legacy' as const) : ('bundle' as const), annotations, upload, ...(signatureRepository ? { signatureRepository } : {}) };
      last = 'signer' in signing ? await signImage(image, { ...options, signing }) : await signImage(image, { ...options, signing });
      report(image, last, io);
    }
    writeOutputFiles(outputsOf(flags, last!));
    return 0;
  },
};

function report(image: string, signed: SignedImage<SignResult | KeySignResult>, io: Io): void {
  if (signed.resolvedTag !== undefined) {
    io.stderr(`WARNING: Image reference ${image} uses a tag, not a digest: signed ${signed.image}, the digest it names now. Sign digests to be sure what you sign.\n`);
  }
  const location = signed.location;
  const where = location === undefined ? 'nothing pushed (--upload=false)' : 'tag' in location ? `Pushed signature to tag ${location.tag}` : `Pushed signature to referrer ${location.digest} (${location.via})`;
  io.stderr(`Signed ${signed.image} ${signedBy(signed.signed)}\n${logged(signed.signed.bundle)}${where}\n`);
}

/** --bundle and cosign's deprecated detached outputs, written together or not at all. With several images, the last one's. */
function outputsOf(flags: SignFlags, signed: SignedImage<SignResult | KeySignResult>): OutputFile[] {
  const outputs: OutputFile[] = [];
  if (flags.bundle !== undefined) outputs.push({ path: flags.bundle, content: `${JSON.stringify(signed.signed.bundleJson)}\n` });
  if (flags['output-signature'] !== undefined) outputs.push({ path: flags['output-signature'], content: encodeBase64(signed.signed.signature) });
  if (flags['output-certificate'] !== undefined && 'certificate' in signed.signed) outputs.push({ path: flags['output-certificate'], content: derToPem(signed.signed.certificate, 'CERTIFICATE') });
  return outputs;
}

/** cosign's --recursive: an index is signed, and so is every manifest it lists. */
async function withIndexChildren(client: RegistryClient, images: string[]): Promise<string[]> {
  const all: string[] = [];
  for (const image of images) {
    all.push(image);
    const ref = parseImageReference(image);
    const manifest = await client.getManifest(ref);
    if (manifest.descriptor.mediaType !== OCI_INDEX && manifest.descriptor.mediaType !== DOCKER_MANIFEST_LIST) continue;
    const children = Array.isArray(manifest.json.manifests) ? (manifest.json.manifests as { digest?: unknown }[]) : [];
    for (const child of children) if (typeof child.digest === 'string') all.push(referenceTo(ref, { digest: child.digest }).name + `@${child.digest}`);
  }
  return all;
}
