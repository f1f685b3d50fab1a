import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeBase64 } from '@sigil/encoding';
import { importPublicKey } from '@sigil/crypto';
import { parseCertificate, type Certificate, type CtLog } from '../../src/index.js';

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const corpusDir = `${repoRoot}test-infra/fixtures/corpus/`;
const conformanceDir = `${repoRoot}test-infra/fixtures/conformance/bundle-verify/`;

// Just the parts of the bundle and trusted-root JSON these tests read.
export interface TrustedRootJson {
  certificateAuthorities: { certChain: { certificates: { rawBytes: string }[] }; validFor: { start?: string; end?: string } }[];
  ctlogs: { logId: { keyId: string }; publicKey: { rawBytes: string; keyDetails: string; validFor?: { start?: string; end?: string } } }[];
  timestampAuthorities?: { certChain: { certificates: { rawBytes: string }[] }; validFor: { start?: string; end?: string } }[];
}

export interface BundleJson {
  verificationMaterial: {
    certificate?: { rawBytes: string };
    x509CertificateChain?: { certificates: { rawBytes: string }[] };
    timestampVerificationData?: { rfc3161Timestamps?: { signedTimestamp: string }[] };
  };
  messageSignature?: { signature: string };
  dsseEnvelope?: { signatures: { sig: string }[] };
}

export interface CorpusCase {
  name: string;
  bundle: BundleJson;
  trustedRoot: TrustedRootJson;
  meta: { identity: string; issuer: string; trustedRoot: string };
}

export const b64 = (text: string): Uint8Array => decodeBase64(text, 'fixture');

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

export const trustedRoots = {
  prod: readJson<TrustedRootJson>(`${corpusDir}trusted-roots/prod.json`),
  staging: readJson<TrustedRootJson>(`${corpusDir}trusted-roots/staging.json`),
};

export const corpusCases: CorpusCase[] = readdirSync(corpusDir)
  .filter((name) => existsSync(`${corpusDir}${name}/bundle.json`))
  .map((name) => {
    const meta = readJson<CorpusCase['meta']>(`${corpusDir}${name}/case.json`);
    return { name, bundle: readJson<BundleJson>(`${corpusDir}${name}/bundle.json`), trustedRoot: trustedRoots[meta.trustedRoot as 'prod' | 'staging'], meta };
  });

export function corpusCase(name: string): CorpusCase {
  const found = corpusCases.find((c) => c.name === name);
  if (!found) throw new Error(`no corpus case ${name}`);
  return found;
}

export function conformanceCase(name: string): { bundle: BundleJson; trustedRoot: TrustedRootJson } {
  const dir = `${conformanceDir}${name}/`;
  return {
    bundle: readJson<BundleJson>(`${dir}bundle.sigstore.json`),
    trustedRoot: existsSync(`${dir}trusted_root.json`) ? readJson<TrustedRootJson>(`${dir}trusted_root.json`) : trustedRoots.prod,
  };
}

export function conformanceCaseNames(): string[] {
  return readdirSync(conformanceDir).filter((name) => existsSync(`${conformanceDir}${name}/bundle.sigstore.json`));
}

export function bundleCertificatesDer(bundle: BundleJson): Uint8Array[] {
  const vm = bundle.verificationMaterial;
  const raws = vm.certificate ? [vm.certificate] : (vm.x509CertificateChain?.certificates ?? []);
  return raws.map((c) => b64(c.rawBytes));
}

export function bundleLeaf(bundle: BundleJson): Certificate {
  return parseCertificate(bundleCertificatesDer(bundle)[0]!);
}

export function caChains(root: TrustedRootJson): Certificate[][] {
  return root.certificateAuthorities.map((ca) => ca.certChain.certificates.map((c) => parseCertificate(b64(c.rawBytes))));
}

const date = (text: string | undefined): Date | undefined => (text ? new Date(text) : undefined);

/** The trusted root's CT logs with SPKI keys (the staging RSA log's PKCS#1 key is the trust package's business). */
export function ctLogs(root: TrustedRootJson): CtLog[] {
  return root.ctlogs
    .filter((log) => log.publicKey.keyDetails.startsWith('PKIX_'))
    .map((log) => ({
      logId: b64(log.logId.keyId),
      publicKey: importPublicKey(b64(log.publicKey.rawBytes)),
      validFor: { start: date(log.publicKey.validFor?.start), end: date(log.publicKey.validFor?.end) },
    }));
}
