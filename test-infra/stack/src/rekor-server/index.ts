// The local Rekor v1 server: its routes for the stack's router, over a durable log kept in
// one state directory (entries file, log key, tree ID).
import { typeOf } from '@sigil/encoding';
import type { Route } from '../http/index.js';
import type { SigningKey } from '../keys.js';
import { createCertificateTrust, type TrustedCas } from './certificate-trust.js';
import { createVerifierReader } from './entry-verifier.js';
import { checkTreeId, loadLogIdentity } from './log-identity.js';
import { openLogStore } from './log-store.js';
import { prepareEntry } from './proposed-entry.js';
import { rekorRoutes } from './routes.js';
import { invalidOption, prepareService, startChecksOrClose } from './service-setup.js';

export { RekorServiceError, type RekorServiceErrorCode } from './errors.js';
export type { TrustedCas } from './certificate-trust.js';

export interface RekorServiceOptions {
  /** State directory (created if missing): entries.log, log.json and, unless a key is given, log-key.pem. */
  dir: string;
  /** The log's ECDSA P-256 key; default the one stored in `dir`, created on first start. */
  signingKey?: SigningKey;
  /** Checkpoint key name and origin prefix, e.g. `127.0.0.1:8080` or `rekor.local`. */
  host: string;
  /** Trillian tree ID in checkpoints and entry IDs; default the stored one, else random. */
  treeId?: bigint;
  /** When given, certificates in entries must chain to one of these CA chains (checked at their notBefore). */
  trustedCas?: TrustedCas;
  /** Largest request body accepted, in bytes (413 above); default 1 MiB. */
  maxBodyBytes?: number;
  /** Threads checking ECDSA signatures over digests (0: on the event loop); default one per CPU, at most 4. */
  signatureThreads?: number;
}

export interface RekorService {
  routes: Route[];
  logKey: SigningKey;
  /** SHA-256 of the log key's SPKI. */
  logId: Uint8Array;
  treeId: bigint;
  /** `<host> - <treeId>`. */
  origin: string;
  /** Synced entries. */
  readonly size: number;
  /** What the start found: entries read back and bytes of torn tail cut off. */
  recovered: { entries: number; droppedBytes: number };
  /** Waits for pending writes and closes the entries file; later appends get 503. */
  close(): Promise<void>;
}

export async function createRekorService(options: RekorServiceOptions): Promise<RekorService> {
  const { dir, trustedCas, maxBodyBytes, signatureThreads } = prepareService(options);
  const { signingKey, host, treeId } = options;
  if (typeof host !== 'string' || !/^[^\s+]{1,253}$/.test(host)) invalidOption(`host: expected a name without spaces or "+", found ${typeOf(host)} ${String(host).slice(0, 60)}`);
  if (signingKey !== undefined && (typeof signingKey !== 'object' || signingKey === null || typeof signingKey.sign !== 'function' || !(signingKey.spki instanceof Uint8Array))) {
    invalidOption(`signingKey: expected a SigningKey, found ${typeOf(signingKey)}`);
  }
  if (treeId !== undefined) checkTreeId(treeId);
  const identity = loadLogIdentity(dir, { signingKey, treeId });
  const origin = `${host} - ${identity.treeId}`;
  const { store, droppedBytes } = await openLogStore({ dir, key: identity.key, origin, host });
  const readVerifier = createVerifierReader(trustedCas && createCertificateTrust(trustedCas));
  const checks = await startChecksOrClose(signatureThreads, () => store.close());

  return {
    routes: rekorRoutes({
      store,
      treeId: identity.treeId,
      logId: identity.key.keyId,
      logSpki: identity.key.spki,
      bodyLimit: maxBodyBytes,
      prepareEntry: (proposed) => prepareEntry(proposed, readVerifier, checks),
    }),
    logKey: identity.key,
    logId: identity.key.keyId,
    treeId: identity.treeId,
    origin,
    get size() {
      return store.size;
    },
    recovered: { entries: store.size, droppedBytes },
    async close() {
      await store.close();
      await checks.close();
    },
  };
}
