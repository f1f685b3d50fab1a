// The log's second thread: it takes a checked entry from the event loop that answers HTTP,
// gives it the next index, signs its SET, and writes it together with everything else that
// became ready meanwhile (group commit; O_DSYNC: a write returns once it is on disk). It answers
// once the write, and every write before it, is durable, in index order. Doing all of that in
// one place keeps a request to one round trip between threads.
// The thread runs the source text of self-contained functions, so no module file has to be
// found at run time (the stack runs from sources in tests and from a bundle in the CLI).
import type * as nodeCrypto from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type * as nodeFs from 'node:fs';
import { constants } from 'node:fs';
import type * as nodeWorkerThreads from 'node:worker_threads';
import { Worker } from 'node:worker_threads';
import { createRecordCodec, type RecordCodec } from './entry-record.js';
import { RekorServiceError } from './errors.js';

export interface AppendJob {
  body: Uint8Array;
  integratedTime: bigint;
  /** The SET payload up to its last value, the log index, which the thread fills in (empty without SETs). */
  payloadPrefix: Uint8Array;
}

export interface AppendResult {
  logIndex: number;
  signedEntryTimestamp: Uint8Array;
  /** Where the record is in the entries file. */
  offset: number;
  size: number;
}

export interface LogWorker {
  /** Sequences, signs, writes; resolves once durable. */
  append(job: AppendJob): Promise<AppendResult>;
  /** Finishes pending appends, then stops the thread. */
  close(): Promise<void>;
}

export interface LogWorkerOptions {
  path: string;
  /** Where the next record goes, and its index. */
  offset: number;
  nextIndex: number;
  /** The log's private key (SETs); none for a log without SETs. */
  privateKey?: KeyObject;
}

type Job = { id: number; append: AppendJob } | { id: number; close: true };
type Reply =
  | { logged: [id: number, logIndex: number, set: Uint8Array, offset: number, size: number][] }
  | { failed: string }
  | { closed: true };

interface ThreadData {
  path: string;
  offset: number;
  nextIndex: number;
  privateKey?: KeyObject;
  openFlags: number;
  writesInFlight: number;
}

/** Writes the log thread keeps in flight at once (measured: 3 to 8 beat 1 clearly, and each other not). */
const WRITES_IN_FLIGHT = 4;

interface ThreadDeps {
  crypto: typeof nodeCrypto;
  fs: typeof nodeFs;
  workerThreads: typeof nodeWorkerThreads;
}

/** Runs in the thread: self-contained, it knows only its arguments. */
function logThread(deps: ThreadDeps, codec: RecordCodec, data: ThreadData): void {
  const port = deps.workerThreads.parentPort!;
  const fd = deps.fs.openSync(data.path, data.openFlags);
  let offset = data.offset;
  let nextIndex = data.nextIndex;
  type Ready = { id: number; logIndex: number; set: Uint8Array; bytes: Buffer };
  let ready: Ready[] = [];
  // Writes on their way to disk, oldest first; each covers the file range after the previous.
  const writes: { batch: Ready[]; at: number; done: boolean }[] = [];
  let failed = false;
  let closing = false;
  const reply = (message: Reply) => port.postMessage(message);

  const sequence = (id: number, job: AppendJob) => {
    const logIndex = nextIndex++;
    // A log without SETs (Rekor v2) stores an empty one.
    const set = data.privateKey ? new Uint8Array(deps.crypto.sign('sha256', Buffer.concat([job.payloadPrefix, Buffer.from(`${logIndex}}`)]), data.privateKey)) : new Uint8Array(0);
    ready.push({ id, logIndex, set, bytes: codec.encode({ logIndex: BigInt(logIndex), integratedTime: job.integratedTime, signedEntryTimestamp: set, body: job.body }) });
  };

  // Whatever became ready while earlier writes were on their way to disk is the next write.
  // A few writes may be in flight at once (the disk overlaps their syncs), but a write is
  // acknowledged only once it and every write before it are durable: an entry is never
  // answered while an earlier one could still be lost, and a crash leaves at most a tail
  // nobody was told about (recovery cuts the file at its first bad record).
  const write = () => {
    while (!failed && ready.length > 0 && writes.length < data.writesInFlight) {
      const batch = ready;
      ready = [];
      const bytes = batch.length === 1 ? batch[0]!.bytes : Buffer.concat(batch.map((entry) => entry.bytes));
      const pending = { batch, at: offset, done: false };
      writes.push(pending);
      offset += bytes.length;
      let done = 0;
      const more = () =>
        deps.fs.write(fd, bytes, done, bytes.length - done, pending.at + done, (err, written) => {
          if (err) {
            failed = true;
            reply({ failed: String(err.message) });
            return finishClose();
          }
          done += written;
          if (done < bytes.length) return more();
          pending.done = true;
          acknowledge();
        });
      more();
    }
    finishClose();
  };

  const acknowledge = () => {
    while (writes.length > 0 && writes[0]!.done && !failed) {
      const { batch, at: start } = writes.shift()!;
      let at = start;
      reply({
        logged: batch.map(({ id, logIndex, set, bytes: record }) => {
          const entry: [number, number, Uint8Array, number, number] = [id, logIndex, set, at, record.length];
          at += record.length;
          return entry;
        }),
      });
    }
    write();
  };

  const finishClose = () => {
    if (closing && writes.length === 0 && (ready.length === 0 || failed)) {
      deps.fs.closeSync(fd);
      reply({ closed: true });
      closing = false;
    }
  };

  port.on('message', (jobs: Job[]) => {
    for (const job of jobs) {
      if ('close' in job) closing = true;
      else if (!failed) sequence(job.id, job.append);
    }
    write();
  });
}

export function startLogWorker(options: LogWorkerOptions): LogWorker {
  const data: ThreadData = { ...options, openFlags: constants.O_WRONLY | constants.O_DSYNC, writesInFlight: WRITES_IN_FLIGHT };
  const program = `(${logThread.toString()})(
    { crypto: require('node:crypto'), fs: require('node:fs'), workerThreads: require('node:worker_threads') },
    (${createRecordCodec.toString()})(require('node:zlib')),
    require('node:worker_threads').workerData,
  );`;
  const thread = new Worker(program, { eval: true, workerData: data });
  // A service nobody closed must not keep its process alive; pending appends were never acknowledged.
  thread.unref();
  const waiting = new Map<number, (reply: AppendResult | undefined) => void>();
  let nextId = 0;
  let failure: RekorServiceError | undefined;
  let closed: (() => void) | undefined;
  let outgoing: Job[] = [];

  const fail = (error: RekorServiceError) => {
    failure ??= error;
    for (const settle of waiting.values()) settle(undefined);
    waiting.clear();
    closed?.();
  };

  thread.on('message', (message: Reply) => {
    if ('logged' in message) {
      for (const [id, logIndex, signedEntryTimestamp, offset, size] of message.logged) {
        waiting.get(id)?.({ logIndex, signedEntryTimestamp, offset, size });
        waiting.delete(id);
      }
    } else if ('failed' in message) {
      fail(new RekorServiceError('STACK_REKOR_STORAGE_FAILED', `appending to ${options.path}: ${message.failed}`));
    } else {
      closed?.();
    }
  });
  thread.on('error', (err) => fail(new RekorServiceError('STACK_REKOR_STORAGE_FAILED', `log thread: ${String(err?.message ?? err)}`, { cause: err })));
  thread.on('exit', () => fail(new RekorServiceError('STACK_REKOR_STORAGE_FAILED', 'log thread: stopped')));

  // Jobs posted within one synchronous run travel as one message.
  const send = (job: Job) => {
    if (outgoing.length === 0) {
      queueMicrotask(() => {
        const jobs = outgoing;
        outgoing = [];
        thread.postMessage(jobs);
      });
    }
    outgoing.push(job);
  };

  return {
    append: (job) =>
      new Promise<AppendResult>((resolve, reject) => {
        if (failure) return reject(failure);
        const id = nextId++;
        waiting.set(id, (reply) => (failure || !reply ? reject(failure) : resolve(reply)));
        send({ id, append: job });
      }),
    async close() {
      if (!failure) {
        await new Promise<void>((resolve) => {
          closed = resolve;
          send({ id: nextId++, close: true });
        });
      }
      failure ??= new RekorServiceError('STACK_REKOR_CLOSED', 'the log is closed');
      await thread.terminate();
    },
  };
}
