import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { STATEMENT_TYPE_V1 } from '@sigil/bundle';
import { hashStream } from '@sigil/crypto';
import { encodeHex, utf8Encode } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { signDsse } from '@sigil/sign';
import { CliError, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { STREAM_CHUNK_BYTES } from '../files.js';
import { KEYLESS_SIGNING_OPTIONS, keylessSigningFromFlags, type KeylessSigningFlags } from '../options/keyless-signing.js';
import { predicateFromFile, predicateTypeFromFlag } from '../options/predicate-type.js';
import { writeOutputFile } from '../output-file.js';

export const attestBlobCommand: Command = {
  name: 'attest-blob',
  summary: 'Attest to a file: sign an in-toto statement (a predicate about its digest) keylessly, as a DSSE bundle',
  usage:
    'sigil attest-blob ARTIFACT --predicate FILE --type slsaprovenance1|slsaprovenance|custom|URI|... --bundle OUT\n' +
    '      [--identity-token TOKEN|@FILE] [--fulcio-url URL] [--rekor-url URL] [--signing-config FILE] [--trusted-root FILE] [--yes]',
  options: {
    predicate: { type: 'string' },
    type: { type: 'string' },
    bundle: { type: 'string' },
    ...KEYLESS_SIGNING_OPTIONS,
    'new-bundle-format': { type: 'boolean' },
  },
  async run(values, positionals, io) {
    const flags = values as KeylessSigningFlags & { predicate?: string; type?: string; bundle?: string };
    if (positionals.length !== 1) throw usageError(`expected one artifact to attest, found ${positionals.length}`);
    if (flags.predicate === undefined) throw usageError('expected --predicate FILE: the predicate JSON (e.g. from sigil provenance generate)');
    if (flags.bundle === undefined) throw usageError('expected --bundle OUT: where to write the attestation bundle');
    const predicateType = predicateTypeFromFlag(flags.type);
    const predicate = predicateFromFile(flags.predicate, predicateType);
    const path = positionals[0]!;
    const statement = { _type: STATEMENT_TYPE_V1, subject: [{ name: basename(path), digest: { sha256: await sha256OfFile(path) } }], predicateType, predicate };
    const result = await signDsse(utf8Encode(JSON.stringify(statement)), await keylessSigningFromFlags(flags));
    writeOutputFile(flags.bundle, `${JSON.stringify(result.bundleJson)}\n`);
    const logIndex = result.bundle.verificationMaterial.tlogEntries[0]?.logIndex;
    io.stderr(`Attested ${path} (${predicateType}) as ${result.identity} (issuer ${result.issuer})\ntlog entry created with index: ${logIndex}\nWrote bundle to file ${flags.bundle}\n`);
    return 0;
  },
};

async function sha256OfFile(path: string): Promise<string> {
  try {
    return encodeHex((await hashStream(createReadStream(path, { highWaterMark: STREAM_CHUNK_BYTES }), ['sha256'])).get('sha256')!);
  } catch (err) {
    throw new CliError('CLI_FILE_UNREADABLE', `artifact ${path}: cannot be read (${describeError(err)})`, { cause: err });
  }
}
