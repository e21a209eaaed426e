// An unbounded queue between a producer of callbacks and a consumer that iterates.
/** A tiny unbounded queue: one side pushes (the log parser, blob ids), the other pulls as they come (cat-file). */
export function createQueue<T>(): { push(v: T): void; end(err?: unknown): void; [Symbol.asyncIterator](): AsyncIterator<T> } {
  const items: T[] = [];
  let done = false;
  let error: unknown;
  let wake: (() => void) | undefined;
  return {
    push(v) {
      items.push(v);
      wake?.();
    },
    end(err) {
      done = true;
      error = err;
      wake?.();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (items.length > 0) yield items.shift()!;
        if (error) throw error;
        if (done) return;
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
    },
  };
}
