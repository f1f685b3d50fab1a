import { existsSync } from 'node:fs';
import type { Bundle } from '@sigil/bundle';
import { hashStream, sha256, type PublicKey } from '@sigil/crypto';
import { decodeBase64, decodePemBlocks, utf8Decode, type PemBlock } from '@sigil/encoding';
import { isSigilError } from '@sigil/errors';
import { artifactFromDigests, type Artifact } from '@sigil/verify';
import { usageError } from '../cli-error.js';
import { readFileLimited, readTextFileLimited } from '../files.js';
import { detachedBundle } from './detached-bundle.js';

const SMALL_FILE = 1024 * 1024;

export interface DetachedFlags {
  signature?: string | undefined;
  certificate?: string | undefined;
  'rfc3161-timestamp'?: string | undefined;
  'rekor-url'?: string | undefined;
}

/**
 * cosign 2's verify-blob without a bundle: --signature (a file or the base64 itself) with
 * --certificate or --key, and --rfc3161-timestamp; the log entry is looked up in --rekor-url
 * (public good by default) unless `rekorUrl` is undefined (--insecure-ignore-tlog). Returns
 * the v0.1 bundle to verify and the artifact (a stream is hashed here, once).
 */
export async function detachedFromFlags(flags: DetachedFlags, artifact: Artifact, key: PublicKey | undefined, rekorUrl: string | undefined): Promise<{ bundle: Bundle; artifact: Artifact }> {
  if (flags.signature === undefined) throw usageError('expected --bundle FILE, or --signature with --certificate or --key: the signature to verify');
  if ((flags.certificate === undefined) === (key === undefined)) throw usageError('--signature: expected --certificate FILE (keyless) or --key (a key), one of them');
  const digest = await sha256Of(artifact);
  const bundle = await detachedBundle(
    {
      signature: readSignature(flags.signature),
      sha256: digest,
      ...(flags.certificate !== undefined ? { certificates: [readCertificate(flags.certificate)] } : { publicKey: key! }),
      timestamps: flags['rfc3161-timestamp'] !== undefined ? [readTimestamp(flags['rfc3161-timestamp'])] : [],
    },
    rekorUrl !== undefined ? { url: rekorUrl } : undefined,
  );
  return { bundle, artifact: artifact.kind === 'stream' ? artifactFromDigests(new Map([['sha256', digest]])) : artifact };
}

async function sha256Of(artifact: Artifact): Promise<Uint8Array> {
  if (artifact.kind === 'bytes') return sha256(artifact.bytes);
  if (artifact.kind === 'stream') return (await hashStream(artifact.chunks, ['sha256'])).get('sha256')!;
  const digest = artifact.digests.get('sha256');
  if (!digest) throw usageError('--signature: a detached signature\'s log entry names the artifact by its SHA-256; give the file or sha256:HEX');
  return digest;
}

/** As cosign: a file holding the base64 signature, else the argument is the base64 itself. */
function readSignature(value: string): Uint8Array {
  const text = existsSync(value) ? readTextFileLimited(value, 'signature', SMALL_FILE) : value;
  try {
    return decodeBase64(text.trim());
  } catch (err) {
    if (!isSigilError(err)) throw err;
    throw usageError(`--signature ${value}: expected a file holding the base64 signature, or the base64 itself (${err.message})`, 'cosign sign-blob --output-signature writes base64; a raw signature (--b64=false) must be base64-encoded first');
  }
}

/** A PEM certificate file, or (as cosign accepts) a file holding the PEM in base64. */
function readCertificate(path: string): Uint8Array {
  const text = readTextFileLimited(path, 'certificate', SMALL_FILE);
  let blocks = certificateBlocks(() => text);
  if (blocks.length === 0) blocks = certificateBlocks(() => utf8Decode(decodeBase64(text.trim())));
  if (blocks.length !== 1) throw usageError(`--certificate ${path}: expected one PEM CERTIFICATE block, found ${blocks.length}`, 'cosign sign-blob --output-certificate writes it; a chain goes in the trusted root');
  return blocks[0]!.der;
}

/** The CERTIFICATE blocks of the text `read` gives; none when it is not PEM (or not base64), reported by the caller as no certificate. */
function certificateBlocks(read: () => string): PemBlock[] {
  try {
    return decodePemBlocks(read()).filter((b) => b.label === 'CERTIFICATE');
  } catch (err) {
    if (!isSigilError(err)) throw err;
    return [];
  }
}

/** cosign's --rfc3161-timestamp file: JSON {"SignedRFC3161Timestamp": base64 of the response}, or the DER response itself. */
function readTimestamp(path: string): Uint8Array {
  const bytes = readFileLimited(path, 'RFC 3161 timestamp', SMALL_FILE);
  if (bytes[0] === 0x30) return bytes;
  try {
    const parsed = JSON.parse(utf8Decode(bytes)) as { SignedRFC3161Timestamp?: unknown };
    if (typeof parsed?.SignedRFC3161Timestamp === 'string') return decodeBase64(parsed.SignedRFC3161Timestamp);
  } catch {
    // Reported below.
  }
  throw usageError(`--rfc3161-timestamp ${path}: expected cosign's timestamp file ({"SignedRFC3161Timestamp": "<base64>"}) or a DER timestamp response`);
}
