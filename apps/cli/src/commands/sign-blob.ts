import { createReadStream, statSync } from 'node:fs';
import { encodeBase64, derToPem } from '@sigil/encoding';
import { describeError } from '@sigil/errors';
import { signBlob, type SignableArtifact } from '@sigil/sign';
import { CliError, usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { readFileLimited, STREAM_CHUNK_BYTES } from '../files.js';
import { SIGN_BLOB_FLAGS } from '../flag-sets/commands.js';
import { keylessSigningFromFlags, type KeylessSigningFlags } from '../options/keyless-signing.js';
import { readStdin } from '../stdin.js';
import { writeOutputFiles, type OutputFile } from '../output-file.js';
import { progressReporter } from '../progress.js';

const IN_MEMORY_LIMIT = 16 * 1024 * 1024;

export const signBlobCommand: Command = {
  name: 'sign-blob',
  summary: 'Sign a file keylessly (Fulcio certificate, Rekor entry) and write a Sigstore bundle',
  usage: 'sigil sign-blob ARTIFACT|- --bundle OUT [--yes] [--identity-token TOKEN|FILE] [flags]',
  examples: [
    'sigil sign-blob --yes --bundle app.tar.gz.sigstore.json app.tar.gz    # in CI: SIGSTORE_ID_TOKEN, GitHub Actions or --identity-token',
    'cat release.txt | sigil sign-blob --bundle release.sigstore.json -',
    'COSIGN_YES=true sigil sign-blob --signing-config signing_config.json --trusted-root trusted_root.json --bundle out.json file',
  ],
  flags: SIGN_BLOB_FLAGS,
  cosign: true,
  async run(values, positionals, io) {
    const flags = values as Record<string, string | boolean | undefined>;
    if (positionals.length !== 1) throw usageError(`expected one artifact to sign, found ${positionals.length}`);
    if (typeof flags.bundle !== 'string') throw usageError('expected --bundle OUT: where to write the Sigstore bundle');
    const artifact = positionals[0] === '-' ? ({ kind: 'bytes', bytes: await readStdin('artifact', IN_MEMORY_LIMIT) } as const) : readArtifact(positionals[0]!);
    const result = await signBlob(artifact, await keylessSigningFromFlags(flags as KeylessSigningFlags));
    const logIndex = result.bundle.verificationMaterial.tlogEntries[0]?.logIndex;
    // All of them or none: a bundle without the signature file a script expects is a failure too.
    const outputs: OutputFile[] = [{ path: flags.bundle, content: `${JSON.stringify(result.bundleJson)}\n` }];
    // --output is cosign's older name of --output-signature; --b64=false writes the raw signature.
    const signatureFile = flags['output-signature'] ?? flags.output;
    if (typeof signatureFile === 'string') outputs.push({ path: signatureFile, content: flags.b64 === false ? result.signature : encodeBase64(result.signature) });
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
