import { encodeBase64, derToPem } from '@sigil/encoding';
import { signBlob, signBlobWithKey, type SignableArtifact } from '@sigil/sign';
import { IN_MEMORY_LIMIT, readArtifactFile } from '../artifact-input.js';
import { usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { SIGN_BLOB_FLAGS } from '../flag-sets/commands.js';
import { checkKeyFlags, keySigningFromFlags, type KeySigningFlags } from '../options/key-signing.js';
import { keylessSigningFromFlags } from '../options/keyless-signing.js';
import { readStdin } from '../stdin.js';
import { writeOutputFiles, type OutputFile } from '../output-file.js';
import { progressReporter } from '../progress.js';
import { logged, signedBy } from '../signing-report.js';


export const signBlobCommand: Command = {
  name: 'sign-blob',
  summary: 'Sign a file keylessly (Fulcio certificate, Rekor entry) or with --key, and write a Sigstore bundle',
  usage: 'sigil sign-blob ARTIFACT|- --bundle OUT [--yes] [--identity-token TOKEN|FILE | --key FILE|env://VAR|gitlab://GROUP/PROJECT] [flags]',
  examples: [
    'sigil sign-blob --yes --bundle app.tar.gz.sigstore.json app.tar.gz    # in CI: SIGSTORE_ID_TOKEN, GitHub Actions or --identity-token',
    'cat release.txt | sigil sign-blob --bundle release.sigstore.json -',
    'COSIGN_PASSWORD=... sigil sign-blob --yes --key gitlab://group/project --bundle app.sigstore.json app.tar.gz    # GITLAB_TOKEN, GITLAB_HOST',
    'COSIGN_YES=true sigil sign-blob --signing-config signing_config.json --trusted-root trusted_root.json --bundle out.json file',
  ],
  flags: SIGN_BLOB_FLAGS,
  cosign: true,
  async run(values, positionals, io) {
    const flags = values as KeySigningFlags & Record<string, string | boolean | undefined>;
    if (positionals.length !== 1) throw usageError(`expected one artifact to sign, found ${positionals.length}`);
    if (typeof flags.bundle !== 'string') throw usageError('expected --bundle OUT: where to write the Sigstore bundle');
    checkKeyFlags(flags);
    if (flags.key !== undefined && typeof flags['output-certificate'] === 'string') throw usageError('--output-certificate with --key: a key-signed bundle holds no certificate to write');
    const artifact = positionals[0] === '-' ? ({ kind: 'bytes', bytes: await readStdin('artifact', IN_MEMORY_LIMIT) } as const) : readArtifact(positionals[0]!);
    const result = flags.key !== undefined ? await signBlobWithKey(artifact, await keySigningFromFlags(flags, io)) : await signBlob(artifact, await keylessSigningFromFlags(flags, io));
    // All of them or none: a bundle without the signature file a script expects is a failure too.
    const outputs: OutputFile[] = [{ path: flags.bundle, content: `${JSON.stringify(result.bundleJson)}\n` }];
    // --output is cosign's older name of --output-signature; --b64=false writes the raw signature.
    const signatureFile = flags['output-signature'] ?? flags.output;
    if (typeof signatureFile === 'string') outputs.push({ path: signatureFile, content: flags.b64 === false ? result.signature : encodeBase64(result.signature) });
    if ('certificate' in result && typeof flags['output-certificate'] === 'string') outputs.push({ path: flags['output-certificate'], content: derToPem(result.certificate, 'CERTIFICATE') });
    writeOutputFiles(outputs);
    io.stderr(`Signed ${signedBy(result)}\n${logged(result.bundle)}Wrote bundle to file ${flags.bundle}\n`);
    return 0;
  },
};

function readArtifact(path: string): SignableArtifact {
  const file = readArtifactFile(path);
  if (file.kind === 'bytes') return file;
  const onProgress = progressReporter(file.size, 'hashing');
  return { kind: 'stream', chunks: file.chunks, ...(onProgress ? { onProgress } : {}) };
}

