import { attestImage } from '@sigil/oci';
import { usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { KEYLESS_SIGNING_OPTIONS, keylessSigningFromFlags, type KeylessSigningFlags } from '../options/keyless-signing.js';
import { predicateFromFile, predicateTypeFromFlag } from '../options/predicate-type.js';
import { REGISTRY_OPTIONS, registryClientFromFlags, type RegistryFlags } from '../options/registry.js';

export const attestImageCommand: Command = {
  name: 'attest',
  summary: 'Attest to a container image: a keylessly signed in-toto statement about its digest, stored next to it as an OCI referrer',
  usage:
    'sigil attest IMAGE --predicate FILE --type slsaprovenance1|slsaprovenance|custom|URI|... [--yes] [--identity-token TOKEN|@FILE]\n' +
    '      [--fulcio-url URL] [--rekor-url URL] [--signing-config FILE] [--trusted-root FILE]\n' +
    '      [--allow-insecure-registry] [--registry-username USER --registry-password PASSWORD]',
  options: { predicate: { type: 'string' }, type: { type: 'string' }, ...KEYLESS_SIGNING_OPTIONS, 'new-bundle-format': { type: 'boolean' }, ...REGISTRY_OPTIONS },
  async run(values, positionals, io) {
    const flags = values as KeylessSigningFlags & RegistryFlags & { predicate?: string; type?: string };
    if (positionals.length !== 1) throw usageError(`expected one image to attest, found ${positionals.length}`);
    if (flags.predicate === undefined) throw usageError('expected --predicate FILE: the predicate JSON');
    const predicateType = predicateTypeFromFlag(flags.type);
    const predicate = predicateFromFile(flags.predicate, predicateType);
    const client = registryClientFromFlags(flags);
    const signing = await keylessSigningFromFlags(flags);
    const attested = await attestImage(positionals[0]!, { client, signing, predicateType, predicate });
    if (attested.resolvedTag !== undefined) io.stderr(`WARNING: ${positionals[0]} uses a tag: attested ${attested.image}, the digest it names now.\n`);
    const logIndex = attested.signed.bundle.verificationMaterial.tlogEntries[0]?.logIndex;
    io.stderr(
      `Attested ${attested.image} (${predicateType}) as ${attested.signed.identity} (issuer ${attested.signed.issuer})\n` +
        `tlog entry created with index: ${logIndex}\nPushed attestation as referrer ${attested.location.digest} (${attested.location.via})\n`,
    );
    return 0;
  },
};
