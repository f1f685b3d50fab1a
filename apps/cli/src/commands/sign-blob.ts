import { createReadStream, statSync } from 'node:fs';
import { encodeBase64, derToPem } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { signBlob, type SignableArtifact } from '@sigil/sign';
import { CliError, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { readFileLimited, STREAM_CHUNK_BYTES } from '../files.js';
import { KEYLESS_SIGNING_OPTIONS, keylessSigningFromFlags, type KeylessSigningFlags } from '../options/keyless-signing.js';
import { writeOutputFiles, type OutputFile } from '../output-file.js';
import { progressReporter } from '../progress.js';

const IN_MEMORY_LIMIT = 16 * 1024 * 1024;

export const signBlobCommand: Command = {
  name: 'sign-blob',
  summary: 'Sign a file keylessly (Fulcio certificate, Rekor entry) and write a Sigstore bundle',
  usage:
    'sigil sign-blob ARTIFACT --bundle OUT [--identity-token TOKEN|@FILE] [--fulcio-url URL] [--rekor-url URL]\n' +
    '      [--timestamp-server-url URL] [--signing-config FILE] [--trusted-root FILE] [--yes]\n' +
    '      [--output-signature FILE] [--output-certificate FILE]',
  options: {
    bundle: { type: 'string' },
    ...KEYLESS_SIGNING_OPTIONS,
    'output-signature': { type: 'string' },
    'output-certificate': { type: 'string' },
    // Accepted for cosign compatibility: Sigil always writes the v0.3 bundle format.
    'new-bundle-format': { type: 'boolean' },
  },
  async run(values, positionals, io) {
    const flags = values as Record<string, string | boolean | undefined>;
    if (positionals.length !== 1) throw usageError(`expected one artifact to sign, found ${positionals.length}`);
    if (typeof flags.bundle !== 'string') throw usageError('expected --bundle OUT: where to write the Sigstore bundle');
    const result = await signBlob(readArtifact(positionals[0]!), await keylessSigningFromFlags(flags as KeylessSigningFlags));
    const logIndex = result.bundle.verificationMaterial.tlogEntries[0]?.logIndex;
    // All of them or none: a bundle without the signature file a script expects is a failure too.
    const outputs: OutputFile[] = [{ path: flags.bundle, content: `${JSON.stringify(result.bundleJson)}\n` }];
    if (typeof flags['output-signature'] === 'string') outputs.push({ path: flags['output-signature'], content: encodeBase64(result.signature) });
    if (typeof flags['output-certificate'] === 'string') outputs.push({ path: flags['output-certificate'], content: derToPem(result.certificate, 'CERTIFICATE') });
    writeOutputFiles(outputs);
    io.stderr(`Signed as ${result.identity} (issuer ${result.issuer})\ntlog entry created with index: ${logIndex}\nWrote bundle to file ${flags.bundle}\n`);
    return 0;
  },
};

function readArtifact(path: string): SignableArtifact {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (err) {
    throw new CliError('CLI_FILE_UNREADABLE', `artifact ${path}: cannot be read (${describeError(err)})`, { cause: err });
  }
  if (size <= IN_MEMORY_LIMIT) return { kind: 'bytes', bytes: readFileLimited(path, 'artifact', IN_MEMORY_LIMIT) };
  const onProgress = progressReporter(size, 'hashing');
  return { kind: 'stream', chunks: createReadStream(path, { highWaterMark: STREAM_CHUNK_BYTES }), ...(onProgress ? { onProgress } : {}) };
}
