// Signatures over a digest (hashedrekord carries no artifact), checked before an entry is
// logged. node:crypto only checks what it hashes itself, so ECDSA goes to @noble/curves, at
// 20-50 times OpenSSL's cost (1.5-6 ms for P-256 on a small machine): a few threads run those
// checks beside the event loop that answers HTTP and the log thread that writes. Unlike the log
// thread (source text of self-contained functions), these need a library, so each loads
// signature-thread.mjs, a plain module file found beside this module, or beside the bundle this
// module was bundled into (build.mjs puts a bundled copy there).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ecPublicKeyPoint, HASH_SIZE, verifyDigestSignature, type Curve, type HashAlgorithm, type PublicKey } from '@sigil/crypto';
import { RekorServiceError } from './errors.js';

/** The thread's module file, beside this module (or this module's bundle). */
export const SIGNATURE_THREAD_FILE = 'signature-thread.mjs';

export interface SignatureChecks {
  /**
   * Whether `signature` is `key`'s over `digest`, decided as @sigil/crypto's
   * verifyDigestSignature decides (DER, high-S allowed; malformed is false), whose
   * CryptoError an Ed25519 key gets. ECDSA runs on a thread; RSA (native) on the caller's.
   */
  verifyDigest(key: PublicKey, digest: Uint8Array, signature: Uint8Array, hash: HashAlgorithm): Promise<boolean>;
  /** Threads running (one that failed to load or stopped has left). */
  readonly threads: number;
  /** Stops the threads; checks still on them, and later ones, run on the event loop. */
  close(): Promise<void>;
}

interface ThreadCheck {
  curve: Curve;
  /** SEC 1 point, 0x04 || x || y. */
  point: Uint8Array;
  digest: Uint8Array;
  signature: Uint8Array;
}

interface Pending {
  check: ThreadCheck;
  settle(result: Promise<boolean> | boolean): void;
  /** The same check on the event loop, for when its thread is gone. */
  onEventLoop(): Promise<boolean>;
}

interface Thread {
  worker: Worker;
  /** Batches posted and not answered, oldest first (a thread answers in order). */
  posted: Pending[][];
  /** Checks posted and not answered. */
  load: number;
}

/** `threads` 0: every check on the event loop. */
export function startSignatureChecks(threads: number): SignatureChecks {
  const file = new URL(`./${SIGNATURE_THREAD_FILE}`, import.meta.url);
  if (threads > 0 && !existsSync(fileURLToPath(file))) {
    throw new RekorServiceError(
      'STACK_REKOR_THREAD_MISSING',
      `${fileURLToPath(file)}: expected the signature-check thread's module beside ${fileURLToPath(import.meta.url)} (a bundle of the stack must carry it, as build.mjs does; or run with signatureThreads 0)`,
    );
  }
  const pool: Thread[] = [];
  let queued: Pending[] = [];

  const start = (): Thread => {
    const thread: Thread = { worker: new Worker(file), posted: [], load: 0 };
    thread.worker.on('message', (results: boolean[]) => {
      const batch = thread.posted.shift() ?? [];
      thread.load -= batch.length;
      if (thread.load === 0) thread.worker.unref();
      batch.forEach((pending, i) => pending.settle(results[i] === true));
    });
    // A thread that fails (or is stopped) leaves the pool; what it held is checked here instead.
    thread.worker.on('error', () => {});
    thread.worker.on('exit', () => {
      const at = pool.indexOf(thread);
      if (at >= 0) pool.splice(at, 1);
      for (const pending of thread.posted.flat()) pending.settle(pending.onEventLoop());
      thread.posted = [];
    });
    // An idle thread does not keep its process alive (a service nobody closed); a busy one does,
    // as the caller waits for its answer.
    thread.worker.unref();
    return thread;
  };
  for (let i = 0; i < threads; i++) pool.push(start());

  // Checks asked for within one synchronous run are spread over the threads, one message each.
  const dispatch = () => {
    const batches = new Map<Thread, Pending[]>();
    for (const pending of queued) {
      if (pool.length === 0) {
        pending.settle(pending.onEventLoop());
        continue;
      }
      const thread = pool.reduce((least, candidate) => (candidate.load < least.load ? candidate : least));
      thread.load++;
      const batch = batches.get(thread) ?? [];
      batch.push(pending);
      batches.set(thread, batch);
    }
    queued = [];
    for (const [thread, batch] of batches) {
      thread.worker.ref();
      thread.posted.push(batch);
      thread.worker.postMessage(batch.map(({ check }) => check));
    }
  };

  return {
    verifyDigest(key, digest, signature, hash) {
      const onEventLoop = () => verifyDigestSignature(key, digest, signature, { hash });
      if (key.kind !== 'ecdsa' || pool.length === 0) return onEventLoop();
      if (digest.length !== HASH_SIZE[hash]) return Promise.resolve(false); // as verifyDigestSignature
      // Copies: a view would carry its whole underlying buffer to the thread.
      const check: ThreadCheck = { curve: key.curve, point: ecPublicKeyPoint(key), digest: new Uint8Array(digest), signature: new Uint8Array(signature) };
      return new Promise<boolean>((resolve, reject) => {
        if (queued.length === 0) queueMicrotask(dispatch);
        queued.push({ check, settle: (result) => Promise.resolve(result).then(resolve, reject), onEventLoop });
      });
    },
    get threads() {
      return pool.length;
    },
    async close() {
      await Promise.all(pool.map((thread) => thread.worker.terminate()));
    },
  };
}
