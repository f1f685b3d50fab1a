import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { STATEMENT_TYPE_V1 } from '@sigil/bundle';
import { hashStream } from '@sigil/crypto';
import { encodeHex, utf8Encode } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { signDsse, signDsseWithKey } from '@sigil/sign';
import { CliError, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { STREAM_CHUNK_BYTES } from '../files.js';
import { ATTEST_BLOB_FLAGS } from '../flag-sets/commands.js';
import { checkKeyFlags, keySigningFromFlags, type KeySigningFlags } from '../options/key-signing.js';
import { keylessSigningFromFlags } from '../options/keyless-signing.js';
import { predicateFromFile, predicateTypeFromFlag, statementFromFile } from '../options/predicate-type.js';
import { writeOutputFile } from '../output-file.js';
import { logged, signedBy } from '../signing-report.js';

type Flags = KeySigningFlags & { predicate?: string; statement?: string; type?: string; bundle?: string; hash?: string };

export const attestBlobCommand: Command = {
  name: 'attest-blob',
  summary: 'Attest to a file: sign an in-toto statement (a predicate about its digest) keylessly, as a DSSE bundle',
  usage:
    'sigil attest-blob ARTIFACT (--predicate FILE|- --type slsaprovenance1|slsaprovenance|custom|URI|... | --statement FILE|-) --bundle OUT\n' +
    '      [--hash SHA256] [--yes] [--identity-token TOKEN|FILE | --key FILE|env://VAR|gitlab://GROUP/PROJECT] [flags]',
  examples: [
    'sigil provenance generate app.tar.gz > provenance.json && sigil attest-blob app.tar.gz --predicate provenance.json --type slsaprovenance1 --bundle app.att.json --yes',
    'sigil attest-blob app.tar.gz --hash "$(sha256sum app.tar.gz | cut -d" " -f1)" --predicate sbom.json --type spdxjson --bundle sbom.att.json --yes',
  ],
  flags: ATTEST_BLOB_FLAGS,
  cosign: true,
  async run(values, positionals, io) {
    const flags = values as Flags;
    if (positionals.length !== 1) throw usageError(`expected one artifact to attest, found ${positionals.length}`);
    if (flags.bundle === undefined) throw usageError('expected --bundle OUT: where to write the attestation bundle');
    if ((flags.predicate === undefined) === (flags.statement === undefined)) throw usageError('expected --predicate FILE (with --type) or --statement FILE, one of them');
    checkKeyFlags(flags);
    const path = positionals[0]!;
    const digest = flags.hash !== undefined ? checkHash(flags.hash) : await sha256OfFile(path);
    let payload: Uint8Array;
    let predicateType: string;
    if (flags.statement !== undefined) {
      const { bytes, statement } = await statementFromFile(flags.statement);
      // The statement is signed as written; it must still be about this artifact.
      if (!statement.subjects.some((s) => s.digest.sha256 === digest)) throw usageError(`--statement ${flags.statement}: no subject has the artifact's sha256 ${digest}`);
      payload = bytes;
      predicateType = statement.predicateType;
    } else {
      predicateType = predicateTypeFromFlag(flags.type);
      const predicate = await predicateFromFile(flags.predicate!, predicateType);
      payload = utf8Encode(JSON.stringify({ _type: STATEMENT_TYPE_V1, subject: [{ name: basename(path), digest: { sha256: digest } }], predicateType, predicate }));
    }
    const result = flags.key !== undefined ? await signDsseWithKey(payload, await keySigningFromFlags(flags, io)) : await signDsse(payload, await keylessSigningFromFlags(flags, io));
    writeOutputFile(flags.bundle, `${JSON.stringify(result.bundleJson)}\n`);
    io.stderr(`Attested ${path} (${predicateType}) ${signedBy(result)}\n${logged(result.bundle)}Wrote bundle to file ${flags.bundle}\n`);
    return 0;
  },
};

function checkHash(hash: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(hash)) throw usageError(`--hash ${hash}: expected the artifact's SHA-256 as 64 hex digits`);
  return hash.toLowerCase();
}

async function sha256OfFile(path: string): Promise<string> {
  try {
    return encodeHex((await hashStream(createReadStream(path, { highWaterMark: STREAM_CHUNK_BYTES }), ['sha256'])).get('sha256')!);
  } catch (err) {
    throw new CliError('CLI_FILE_UNREADABLE', `artifact ${path}: cannot be read (${describeError(err)})`, { cause: err });
  }
}
