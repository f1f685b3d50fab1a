import { signImage } from '@sigil/oci';
import { usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { annotationsFromFlags, REGISTRY_OPTIONS, registryClientFromFlags, type RegistryFlags } from '../options/registry.js';
import { KEYLESS_SIGNING_OPTIONS, keylessSigningFromFlags, type KeylessSigningFlags } from '../options/keyless-signing.js';

export const signImageCommand: Command = {
  name: 'sign',
  summary: 'Sign a container image by digest, keylessly, and store the signature next to it in its registry',
  usage:
    'sigil sign IMAGE [--yes] [--identity-token TOKEN|@FILE] [--new-bundle-format | --legacy-format] [-a KEY=VALUE ...]\n' +
    '      [--fulcio-url URL] [--rekor-url URL] [--signing-config FILE] [--trusted-root FILE]\n' +
    '      [--allow-insecure-registry] [--registry-username USER --registry-password PASSWORD]',
  options: {
    ...KEYLESS_SIGNING_OPTIONS,
    'new-bundle-format': { type: 'boolean' },
    'legacy-format': { type: 'boolean' },
    annotations: { type: 'string', short: 'a', multiple: true },
    ...REGISTRY_OPTIONS,
  },
  async run(values, positionals, io) {
    const flags = values as Record<string, string | boolean | string[] | undefined> & RegistryFlags;
    if (positionals.length !== 1) throw usageError(`expected one image to sign, found ${positionals.length}`);
    if (flags['new-bundle-format'] && flags['legacy-format']) throw usageError('--new-bundle-format and --legacy-format cannot be combined');
    const annotations = annotationsFromFlags(flags.annotations as string[] | undefined);
    const client = registryClientFromFlags(flags);
    const signing = await keylessSigningFromFlags(flags as KeylessSigningFlags);
    const signed = await signImage(positionals[0]!, { client, format: flags['legacy-format'] ? 'legacy' : 'bundle', annotations, signing });
    if (signed.resolvedTag !== undefined) {
      io.stderr(`WARNING: Image reference ${positionals[0]} uses a tag, not a digest: signed ${signed.image}, the digest it names now. Sign digests to be sure what you sign.\n`);
    }
    const where = 'tag' in signed.location ? `tag ${signed.location.tag}` : `referrer ${signed.location.digest} (${signed.location.via})`;
    const logIndex = signed.signed.bundle.verificationMaterial.tlogEntries[0]?.logIndex;
    io.stderr(`Signed ${signed.image} as ${signed.signed.identity} (issuer ${signed.signed.issuer})\ntlog entry created with index: ${logIndex}\nPushed signature to ${where}\n`);
    return 0;
  },
};
