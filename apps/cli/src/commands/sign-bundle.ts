import { flagTokenSource } from '@sigil/oidc';
import { signBlob, signDsse, type SignOptions } from '@sigil/sign';
import { readArtifact } from '../artifact-input.js';
import { usageError } from '../cli-error.js';
import { plainFlags } from '../flags/plain.js';
import type { Command } from '../command.js';
import { readFileLimited } from '../files.js';
import { signingServicesFromFlags, type SigningServices } from '../options/signing-services.js';
import { trustFromFlags } from '../options/trust.js';
import { writeOutputFile } from '../output-file.js';
import { signedBy } from '../signing-report.js';

// The public-good staging instance, for --staging without a signing config.
const STAGING: SigningServices = { fulcioURL: 'https://fulcio.sigstage.dev', transparencyLogs: [{ url: 'https://rekor.sigstage.dev', majorApiVersion: 1 }], tsaURLs: [], knownIssuers: undefined };
// Statements are small documents; the bundle parser refuses larger payloads anyway.
const MAX_STATEMENT_BYTES = 16 * 1024 * 1024;

interface SignBundleFlags {
  staging?: boolean;
  'in-toto'?: boolean;
  'identity-token'?: string;
  bundle?: string;
  'trusted-root'?: string;
  'signing-config'?: string;
}

/**
 * The sigstore-conformance client protocol's signing command: FILE signed keylessly with
 * the signing config's services (Fulcio, Rekor v1, TSA) into a v0.3 bundle that has been
 * verified against the trusted root before it is written. The suite runs it unattended,
 * so there is no upload prompt.
 */
export const signBundle: Command = {
  name: 'sign-bundle',
  summary: 'Sign a file (or, with --in-toto, an in-toto statement) into a bundle (sigstore-conformance client protocol)',
  usage: 'sigil sign-bundle [--staging] [--in-toto] --identity-token TOKEN --bundle FILE [--trusted-root F] [--signing-config F] FILE',
  flags: plainFlags({
    staging: { type: 'boolean' },
    'in-toto': { type: 'boolean' },
    'identity-token': { type: 'string' },
    bundle: { type: 'string' },
    'trusted-root': { type: 'string' },
    'signing-config': { type: 'string' },
  }),
  async run(values, positionals, io) {
    const flags = values as SignBundleFlags;
    if (positionals.length !== 1) throw usageError(`expected one file to sign, found ${positionals.length}`);
    if (typeof flags.bundle !== 'string') throw usageError('expected --bundle FILE: where to write the Sigstore bundle');
    // The protocol always passes the token; SIGSTORE_ID_TOKEN and the like are sign-blob's.
    if (typeof flags['identity-token'] !== 'string') throw usageError('expected --identity-token TOKEN (or @FILE): the OIDC identity token to sign with');
    const services = servicesOf(flags);
    const options: SignOptions = {
      identityToken: await flagTokenSource(flags['identity-token']).getToken(),
      fulcioURL: services.fulcioURL,
      transparencyLogs: services.transparencyLogs,
      tsaURLs: services.tsaURLs,
      ...(services.knownIssuers ? { knownIssuers: services.knownIssuers } : {}),
      // An explicit trusted root names its instance; --staging only picks the defaults.
      trust: flags['trusted-root'] !== undefined ? trustFromFlags({ 'trusted-root': flags['trusted-root'] }, io) : trustFromFlags({ staging: flags.staging }, io),
    };
    const result = flags['in-toto'] ? await signDsse(readFileLimited(positionals[0]!, 'in-toto statement', MAX_STATEMENT_BYTES), options) : await signBlob(signable(positionals[0]!), options);
    writeOutputFile(flags.bundle, `${JSON.stringify(result.bundleJson)}\n`);
    io.stderr(`Signed ${signedBy(result)}\nWrote bundle to file ${flags.bundle}\n`);
    return 0;
  },
};

/** The signing config's services when one is given (or in SIGIL_SIGNING_CONFIG), else public good or staging. */
function servicesOf(flags: SignBundleFlags): SigningServices {
  if (flags.staging && flags['signing-config'] === undefined) return STAGING;
  return signingServicesFromFlags({ 'signing-config': flags['signing-config'] });
}

function signable(path: string) {
  const artifact = readArtifact(path);
  if (artifact.kind === 'digests') throw usageError(`expected a file to sign, found the digest ${path}: signing needs the file itself`);
  return artifact;
}
