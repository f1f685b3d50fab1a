/**
 * Group commit: one write-and-sync at a time; whatever is submitted while it runs goes into
 * the next one. A submission settles only when the batch holding it is on disk, so a caller
 * that waits acknowledges nothing a crash could lose, and the sync cost is shared by every
 * request that arrived meanwhile.
 */
export interface GroupCommit<Item> {
  /** Resolves once `item` is durable; rejects if its batch (or an earlier one) failed. */
  submit(item: Item): Promise<void>;
  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void>;
}

interface Waiting<Item> {
  item: Item;
  resolve(): void;
  reject(err: unknown): void;
}

/** `persist` writes and syncs one batch, in submission order; once it throws, every later submission fails too. */
export function createGroupCommit<Item>(persist: (batch: Item[]) => Promise<void>): GroupCommit<Item> {
  let queue: Waiting<Item>[] = [];
  let running: Promise<void> | undefined;
  let failure: unknown;

  // `running` is cleared in the same synchronous step that sees the queue empty, so a
  // submission never finds a drain that will not look at the queue again.
  const drain = async (): Promise<void> => {
    try {
      while (queue.length > 0) {
        const batch = queue;
        queue = [];
        try {
          if (failure !== undefined) throw failure;
          await persist(batch.map((waiting) => waiting.item));
        } catch (err) {
          failure ??= err;
          for (const waiting of batch) waiting.reject(err);
          continue;
        }
        for (const waiting of batch) waiting.resolve();
      }
    } finally {
      running = undefined;
    }
  };

  return {
    submit(item) {
      if (failure !== undefined) return Promise.reject(failure);
      const settled = new Promise<void>((resolve, reject) => queue.push({ item, resolve, reject }));
      running ??= drain();
      return settled;
    },
    async idle() {
      while (running) await running;
    },
  };
}
