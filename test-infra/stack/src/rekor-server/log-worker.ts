// The log's helper threads. The event loop that answers HTTP hands them the costly,
// self-contained work: a verifier thread checks P-256 signatures over digests; a writer
// thread signs SETs, encodes records and writes them (O_DSYNC, so a write returns once it is
// on disk), taking everything that arrived during one write as the next write: group commit
// without a thread-pool round trip per batch. Threads run the source text of self-contained
// functions, so no module file has to be found at run time (the stack runs from sources in
// tests and from a bundle in the CLI).
import * as crypto from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type * as nodeFs from 'node:fs';
import { constants } from 'node:fs';
import type * as nodeWorkerThreads from 'node:worker_threads';
import { Worker } from 'node:worker_threads';
import type * as nodeZlib from 'node:zlib';
import { createP256DigestVerifier, type P256DigestJob, type P256DigestVerifier } from './ecdsa-p256-digest.js';
import { createRecordCodec, type RecordCodec } from './entry-record.js';
import { RekorServiceError } from './errors.js';

export interface AppendJob {
  logIndex: number;
  integratedTime: bigint;
  /** The bytes the SET signs (signedEntryTimestampPayload). */
  payload: Uint8Array;
  body: Uint8Array;
}

export interface AppendResult {
  signedEntryTimestamp: Uint8Array;
  /** Where the record lies in the entries file. */
  offset: number;
  size: number;
}

export interface LogWorker {
  verifyP256Digest(job: P256DigestJob): Promise<boolean>;
  /** Signs, writes and syncs; resolves once the record is durable. Appends must come in log-index order. */
  append(job: AppendJob): Promise<AppendResult>;
  /** Finishes pending appends, then stops the threads. */
  close(): Promise<void>;
}

export interface LogWorkerOptions {
  path: string;
  /** Where the next record goes. */
  offset: number;
  /** The log's private key (SETs). */
  privateKey: KeyObject;
  /** Called once if an append fails: the log must stop accepting entries. */
  onFailure(error: RekorServiceError): void;
}

type VerifyMessage = { id: number } & P256DigestJob;
type AppendMessage = AppendJob | { close: true };
type WriterReply = { durable: [number, Uint8Array, number, number][] } | { failed: string } | { closed: true };

interface Threads {
  workerThreads: typeof nodeWorkerThreads;
}

/** The verifier thread: self-contained, it knows only its arguments. */
function verifierMain({ workerThreads }: Threads, verifier: P256DigestVerifier): void {
  const port = workerThreads.parentPort!;
  const queue: VerifyMessage[] = [];
  // Small batches: the first request of a burst need not wait for the last one's check.
  const verifySome = () => {
    const jobs = queue.splice(0, 4);
    const results = verifier.verifyBatch(jobs);
    port.postMessage(jobs.map((job, i) => [job.id, results[i]!]));
    if (queue.length > 0) setImmediate(verifySome);
  };
  port.on('message', (jobs: VerifyMessage[]) => {
    if (queue.length === 0) setImmediate(verifySome);
    queue.push(...jobs);
  });
}

interface WriterData {
  path: string;
  offset: number;
  privateKey: KeyObject;
  openFlags: number;
}

/** The writer thread: self-contained, it knows only its arguments. */
function writerMain(deps: Threads & { crypto: typeof crypto; fs: typeof nodeFs }, codec: RecordCodec, data: WriterData): void {
  const port = deps.workerThreads.parentPort!;
  const fd = deps.fs.openSync(data.path, data.openFlags);
  let offset = data.offset;
  let queue: AppendJob[] = [];
  let closing = false;
  let failed = false;
  const reply = (message: WriterReply) => port.postMessage(message);

  // Everything that arrived while the last write was on its way to disk is the next write.
  const drain = () => {
    while (queue.length > 0 && !failed) {
      const batch = queue;
      queue = [];
      const records = batch.map((job) => {
        const set = new Uint8Array(deps.crypto.sign('sha256', job.payload, data.privateKey));
        return { job, set, bytes: codec.encode({ logIndex: BigInt(job.logIndex), integratedTime: job.integratedTime, signedEntryTimestamp: set, body: job.body }) };
      });
      const bytes = records.length === 1 ? records[0]!.bytes : Buffer.concat(records.map((record) => record.bytes));
      try {
        for (let done = 0; done < bytes.length; ) done += deps.fs.writeSync(fd, bytes, done, bytes.length - done, offset + done);
      } catch (err) {
        failed = true;
        reply({ failed: String((err as Error)?.message ?? err) });
        break;
      }
      let at = offset;
      offset += bytes.length;
      reply({
        durable: records.map(({ job, set, bytes: record }) => {
          const entry: [number, Uint8Array, number, number] = [job.logIndex, set, at, record.length];
          at += record.length;
          return entry;
        }),
      });
    }
    if (closing) {
      deps.fs.closeSync(fd);
      reply({ closed: true });
    }
  };

  port.on('message', (messages: AppendMessage[]) => {
    if (queue.length === 0) setImmediate(drain);
    for (const message of messages) {
      if ('close' in message) closing = true;
      else queue.push(message);
    }
  });
}

function program(main: string, args: string): string {
  return `(${main})({ workerThreads: require('node:worker_threads'), crypto: require('node:crypto'), fs: require('node:fs') }, ${args});`;
}

export function startLogWorker(options: LogWorkerOptions): LogWorker {
  const verifierThread = new Worker(program(verifierMain.toString(), `(${createP256DigestVerifier.toString()})(require('node:crypto'))`), { eval: true });
  const writerData: WriterData = { path: options.path, offset: options.offset, privateKey: options.privateKey, openFlags: constants.O_WRONLY | constants.O_DSYNC };
  const writerThread = new Worker(program(writerMain.toString(), `(${createRecordCodec.toString()})(require('node:zlib')), require('node:worker_threads').workerData`), {
    eval: true,
    workerData: writerData,
  });
  const verifications = new Map<number, { job: P256DigestJob; resolve(ok: boolean): void }>();
  const appends = new Map<number, { resolve(result: AppendResult): void; reject(err: unknown): void }>();
  let nextId = 0;
  let failure: RekorServiceError | undefined;
  let closing: (() => void) | undefined;
  let verifierStopped = false;
  let fallback: P256DigestVerifier | undefined;

  // A verifier that stops takes no check with it: those are done here instead.
  const verifyHere = () => {
    const jobs = [...verifications.values()];
    verifications.clear();
    fallback ??= createP256DigestVerifier(crypto);
    const results = fallback.verifyBatch(jobs.map((entry) => entry.job));
    jobs.forEach((entry, i) => entry.resolve(results[i]!));
  };
  const fail = (error: RekorServiceError) => {
    if (!failure) {
      failure = error;
      options.onFailure(error);
    }
    for (const pending of appends.values()) pending.reject(failure);
    appends.clear();
  };

  verifierThread.on('message', (results: [number, boolean][]) => {
    for (const [id, ok] of results) {
      verifications.get(id)?.resolve(ok);
      verifications.delete(id);
    }
  });
  const verifierGone = () => {
    verifierStopped = true;
    verifyHere();
  };
  verifierThread.on('error', verifierGone);
  verifierThread.on('exit', verifierGone);

  writerThread.on('message', (message: WriterReply) => {
    if ('durable' in message) {
      for (const [logIndex, signedEntryTimestamp, offset, size] of message.durable) {
        appends.get(logIndex)?.resolve({ signedEntryTimestamp, offset, size });
        appends.delete(logIndex);
      }
    } else if ('failed' in message) {
      fail(new RekorServiceError('STACK_REKOR_STORAGE_FAILED', `appending to ${options.path}: ${message.failed}`));
    } else {
      closing?.();
    }
  });
  writerThread.on('error', (err) => fail(new RekorServiceError('STACK_REKOR_STORAGE_FAILED', `log writer: ${String(err?.message ?? err)}`, { cause: err })));
  writerThread.on('exit', () => fail(new RekorServiceError('STACK_REKOR_STORAGE_FAILED', 'log writer: stopped')));

  const toVerifier = batcher<VerifyMessage>((jobs) => (verifierStopped ? verifyHere() : verifierThread.postMessage(jobs)));
  const toWriter = batcher<AppendMessage>((messages) => writerThread.postMessage(messages));

  return {
    verifyP256Digest(job) {
      return new Promise<boolean>((resolve) => {
        const id = nextId++;
        verifications.set(id, { job, resolve });
        toVerifier({ id, ...job });
      });
    },
    append(job) {
      if (failure) return Promise.reject(failure);
      return new Promise<AppendResult>((resolve, reject) => {
        appends.set(job.logIndex, { resolve, reject });
        toWriter(job);
      });
    },
    async close() {
      if (!failure) {
        await new Promise<void>((resolve) => {
          closing = resolve;
          toWriter({ close: true });
        });
      }
      failure ??= new RekorServiceError('STACK_REKOR_CLOSED', 'the log is closed');
      await Promise.all([writerThread.terminate(), verifierThread.terminate()]);
      verifyHere();
    },
  };
}

/** Messages posted within one synchronous run go as one postMessage. */
function batcher<Message>(send: (messages: Message[]) => void): (message: Message) => void {
  let outgoing: Message[] = [];
  return (message) => {
    if (outgoing.length === 0) {
      queueMicrotask(() => {
        const messages = outgoing;
        outgoing = [];
        send(messages);
      });
    }
    outgoing.push(message);
  };
}
