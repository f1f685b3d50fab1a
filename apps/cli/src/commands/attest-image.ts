import { attestImage } from '@sigil/oci';
import { usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { ATTEST_FLAGS } from '../flag-sets/commands.js';
import { keylessSigningFromFlags, type KeylessSigningFlags } from '../options/keyless-signing.js';
import { predicateFromFile, predicateTypeFromFlag } from '../options/predicate-type.js';
import { registryClientFromFlags, signatureRepositoryFromEnv, type RegistryFlags } from '../options/registry.js';
import { writeOutputFile } from '../output-file.js';

type Flags = KeylessSigningFlags & RegistryFlags & { predicate?: string; statement?: string; type?: string; bundle?: string; 'no-upload'?: boolean };

export const attestImageCommand: Command = {
  name: 'attest',
  summary: 'Attest to a container image: a keylessly signed in-toto statement about its digest, stored next to it as an OCI referrer',
  usage: 'sigil attest IMAGE --predicate FILE|- --type slsaprovenance1|slsaprovenance|custom|URI|... [--yes] [--identity-token TOKEN|FILE] [--bundle FILE] [--no-upload] [flags]',
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
    const predicateType = predicateTypeFromFlag(flags.type);
    const predicate = await predicateFromFile(flags.predicate, predicateType);
    const client = registryClientFromFlags(flags, process.env, io.stderr);
    const signing = await keylessSigningFromFlags(flags);
    const signatureRepository = signatureRepositoryFromEnv();
    const attested = await attestImage(positionals[0]!, { client, signing, predicateType, predicate, upload: flags['no-upload'] !== true, ...(signatureRepository ? { signatureRepository } : {}) });
    if (attested.resolvedTag !== undefined) io.stderr(`WARNING: ${positionals[0]} uses a tag: attested ${attested.image}, the digest it names now.\n`);
    if (flags.bundle !== undefined) writeOutputFile(flags.bundle, `${JSON.stringify(attested.signed.bundleJson)}\n`);
    const logIndex = attested.signed.bundle.verificationMaterial.tlogEntries[0]?.logIndex;
    const where = attested.location ? `Pushed attestation as referrer ${attested.location.digest} (${attested.location.via})` : 'nothing pushed (--no-upload)';
    io.stderr(`Attested ${attested.image} (${predicateType}) as ${attested.signed.identity} (issuer ${attested.signed.issuer})\ntlog entry created with index: ${logIndex}\n${where}\n`);
    return 0;
  },
};
