import { importPublicKey, keyDetailsOf, sha256, type PublicKey } from '@sigil/crypto';
import { bytesEqual, decodePemBlocks, encodeBase64 } from '@sigil/encoding';
import { TrustMaterial, type TrustPart } from '@sigil/trust';
import { parseCertificate } from '@sigil/x509';
import { usageError } from '../cli-error.js';
import { readTextFileLimited } from '../files.js';

// cosign's private-deployment variables (pkg/cosign/env): when one is set and --trusted-root is
// not, cosign leaves the TUF trusted root and takes that part of the trust from the file
// (cmd/cosign/cli/verify/common.go, SetTrustedMaterial and SetLegacyClientsAndKeys).
export const SIGSTORE_ENV = ['SIGSTORE_ROOT_FILE', 'SIGSTORE_REKOR_PUBLIC_KEY', 'SIGSTORE_CT_LOG_PUBLIC_KEY_FILE', 'SIGSTORE_TSA_CERTIFICATE_FILE'] as const;

const MAX_FILE_BYTES = 1024 * 1024;
const FOREVER = { start: '1970-01-01T00:00:00Z' };

export function sigstoreEnvGiven(env: NodeJS.ProcessEnv): boolean {
  return SIGSTORE_ENV.some((name) => (env[name] ?? '') !== '');
}

/** `base` with each part a SIGSTORE_* variable names replaced by that file's keys or certificates. */
export function trustWithSigstoreEnv(base: TrustMaterial, env: NodeJS.ProcessEnv, rekorUrl = 'https://rekor.sigstore.dev'): TrustMaterial {
  const root = { mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [] as unknown[], ctlogs: [] as unknown[], certificateAuthorities: [] as unknown[], timestampAuthorities: [] as unknown[] };
  const parts: TrustPart[] = [];
  const file = (name: (typeof SIGSTORE_ENV)[number]) => {
    const path = env[name];
    return path ? { path, text: readTextFileLimited(path, name, MAX_FILE_BYTES) } : undefined;
  };
  const rekor = file('SIGSTORE_REKOR_PUBLIC_KEY');
  if (rekor) {
    root.tlogs = publicKeys(rekor.text, 'SIGSTORE_REKOR_PUBLIC_KEY', rekor.path).map((key) => logOf(key, rekorUrl));
    parts.push('tlogs');
  }
  const ct = file('SIGSTORE_CT_LOG_PUBLIC_KEY_FILE');
  if (ct) {
    root.ctlogs = publicKeys(ct.text, 'SIGSTORE_CT_LOG_PUBLIC_KEY_FILE', ct.path).map((key) => logOf(key, 'https://ctfe.sigstore.dev'));
    parts.push('ctlogs');
  }
  const fulcio = file('SIGSTORE_ROOT_FILE');
  if (fulcio) {
    const certs = certificates(fulcio.text, 'SIGSTORE_ROOT_FILE', fulcio.path).map(parsed);
    const roots = certs.filter(selfSigned);
    if (roots.length === 0) throw usageError('SIGSTORE_ROOT_FILE: expected at least one self-signed root certificate, found none');
    root.certificateAuthorities = authoritiesOf(roots, certs.filter((c) => !selfSigned(c)));
    parts.push('certificateAuthorities');
  }
  const tsa = file('SIGSTORE_TSA_CERTIFICATE_FILE');
  if (tsa) {
    // Leaf, intermediates, root: one timestamp authority, as cosign reads the file.
    root.timestampAuthorities = [authorityOf(certificates(tsa.text, 'SIGSTORE_TSA_CERTIFICATE_FILE', tsa.path), 'https://timestamp.sigstore.dev')];
    parts.push('timestampAuthorities');
  }
  return base.withPartsOf(TrustMaterial.fromJson(root).validate(), parts);
}

/**
 * cosign's --ca-roots and --ca-intermediates (cmd/cosign/cli/verify/common.go,
 * loadCertsKeylessVerification): every certificate of the roots file is an anchor, those of the
 * intermediates file may link a leaf to one. They replace the certificate authorities of `base`;
 * its logs, CT logs and TSAs stay.
 */
export function trustWithCaFiles(base: TrustMaterial, rootsPath: string, intermediatesPath: string | undefined): TrustMaterial {
  const read = (name: string, path: string) => certificates(readTextFileLimited(path, name, MAX_FILE_BYTES), name, path).map(parsed);
  const roots = read('--ca-roots', rootsPath);
  const intermediates = intermediatesPath !== undefined ? read('--ca-intermediates', intermediatesPath) : [];
  const root = { mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [], ctlogs: [], timestampAuthorities: [], certificateAuthorities: authoritiesOf(roots, intermediates) };
  return base.withPartsOf(TrustMaterial.fromJson(root).validate(), ['certificateAuthorities']);
}

function blocksOf(text: string, name: string, path: string, label: string): Uint8Array[] {
  let blocks;
  try {
    blocks = decodePemBlocks(text, `${name} ${path}`);
  } catch (err) {
    throw usageError(`${name}=${path}: expected PEM, found text that does not decode (${(err as Error).message})`);
  }
  const wanted = blocks.filter((b) => b.label === label).map((b) => b.der);
  if (wanted.length === 0) throw usageError(`${name}=${path}: expected at least one PEM ${label} block, found none`);
  return wanted;
}

/** Each PUBLIC KEY block, imported: a block that is no key is the variable's error, not an internal one. */
function publicKeys(text: string, name: string, path: string): PublicKey[] {
  return blocksOf(text, name, path, 'PUBLIC KEY').map((der, i) => {
    try {
      return importPublicKey(der, `${name} key ${i + 1}`);
    } catch (err) {
      throw usageError(`${name}=${path}: expected PEM public keys, found a PUBLIC KEY block that is not a supported key (${(err as Error).message})`);
    }
  });
}

function certificates(text: string, name: string, path: string): Uint8Array[] {
  return blocksOf(text, name, path, 'CERTIFICATE');
}

/** A log of the trusted root's kind: its ID is the SHA-256 of the key, as Rekor's and CT's log IDs are. */
function logOf(key: PublicKey, baseUrl: string) {
  return {
    baseUrl,
    hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: encodeBase64(key.spki), keyDetails: keyDetailsOf(key), validFor: FOREVER },
    logId: { keyId: encodeBase64(sha256(key.spki)) },
  };
}

function authorityOf(chain: Uint8Array[], uri: string) {
  return { subject: {}, uri, certChain: { certificates: chain.map((der) => ({ rawBytes: encodeBase64(der) })) }, validFor: FOREVER };
}

type Parsed = { der: Uint8Array; cert: ReturnType<typeof parseCertificate> };
const parsed = (der: Uint8Array): Parsed => ({ der, cert: parseCertificate(der) });
const selfSigned = (c: Parsed): boolean => bytesEqual(c.cert.subjectDer, c.cert.issuerDer);

/**
 * One authority per anchor, each with the intermediates that chain up to it (cosign's pools,
 * as chains: SIGSTORE_ROOT_FILE mixes both, split by self-signature).
 */
function authoritiesOf(roots: Parsed[], intermediates: Parsed[]) {
  const candidates = [...roots, ...intermediates];
  return roots.map((root) => {
    const chain = [root];
    for (let below = findChild(candidates, chain[0]!); below && !chain.includes(below); below = findChild(candidates, chain[0]!)) chain.unshift(below);
    return authorityOf(chain.map((c) => c.der), 'https://fulcio.sigstore.dev');
  });
}

function findChild(certs: Parsed[], parent: Parsed): Parsed | undefined {
  return certs.find((c) => c !== parent && bytesEqual(c.cert.issuerDer, parent.cert.subjectDer) && !selfSigned(c));
}
