import { attestImage } from '@sigil/oci';
import { usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { ATTEST_FLAGS } from '../flag-sets/commands.js';
import { checkKeyFlags, keySigningFromFlags, type KeySigningFlags } from '../options/key-signing.js';
import { keylessSigningFromFlags } from '../options/keyless-signing.js';
import { predicateFromFile, predicateTypeFromFlag } from '../options/predicate-type.js';
import { registryClientFromFlags, signatureRepositoryFromEnv, type RegistryFlags } from '../options/registry.js';
import { writeOutputFile } from '../output-file.js';
import { logged, signedBy } from '../signing-report.js';

type Flags = KeySigningFlags & RegistryFlags & { predicate?: string; statement?: string; type?: string; bundle?: string; 'no-upload'?: boolean };

export const attestImageCommand: Command = {
  name: 'attest',
  summary: 'Attest to a container image: an in-toto statement signed keylessly or with --key about its digest, stored next to it as an OCI referrer',
  usage: 'sigil attest IMAGE --predicate FILE|- --type slsaprovenance1|slsaprovenance|custom|URI|... [--yes] [--identity-token TOKEN|FILE | --key FILE|env://VAR|gitlab://GROUP/PROJECT] [--bundle FILE] [--no-upload] [flags]',
  examples: ['sigil attest --yes --predicate provenance.json --type slsaprovenance1 "$CI_REGISTRY_IMAGE@$IMAGE_DIGEST"'],
  flags: ATTEST_FLAGS,
  cosign: true,
  async run(values, positionals, io) {
    const flags = values as Flags;
    if (positionals.length !== 1) throw usageError(`expected one image to attest, found ${positionals.length}`);
    if (flags.statement !== undefined) {
      throw usageError('--statement is not supported by sigil attest: it builds the statement about the image digest itself', 'pass the predicate with --predicate FILE --type TYPE');
    }
    if (flags.predicate === undefined) throw usageError('expected --predicate FILE: the predicate JSON');
    checkKeyFlags(flags);
    const predicateType = predicateTypeFromFlag(flags.type);
    const predicate = await predicateFromFile(flags.predicate, predicateType);
    const client = registryClientFromFlags(flags, process.env, io.stderr);
    const signatureRepository = signatureRepositoryFromEnv();
    const options = { client, predicateType, predicate, upload: flags['no-upload'] !== true, ...(signatureRepository ? { signatureRepository } : {}) };
    const attested =
      flags.key !== undefined ? await attestImage(positionals[0]!, { ...options, signing: await keySigningFromFlags(flags, io) }) : await attestImage(positionals[0]!, { ...options, signing: await keylessSigningFromFlags(flags, io) });
    if (attested.resolvedTag !== undefined) io.stderr(`WARNING: ${positionals[0]} uses a tag: attested ${attested.image}, the digest it names now.\n`);
    if (flags.bundle !== undefined) writeOutputFile(flags.bundle, `${JSON.stringify(attested.signed.bundleJson)}\n`);
    const where = attested.location ? `Pushed attestation as referrer ${attested.location.digest} (${attested.location.via})` : 'nothing pushed (--no-upload)';
    io.stderr(`Attested ${attested.image} (${predicateType}) ${signedBy(attested.signed)}\n${logged(attested.signed.bundle)}${where}\n`);
    return 0;
  },
};
