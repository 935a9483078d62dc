/**
 * Group commit: callers add items one at a time and each waits until its
 * item is committed, but items that arrive together are written in one
 * transaction. While one batch is being written the next one collects, so
 * under load a busy gate makes one commit per batch instead of one per call,
 * and an idle one still writes each item at once (after the current tick).
 */
export class GroupCommit<T, R> {
  private queue: Array<{
    item: T;
    resolve: (r: R) => void;
    reject: (e: unknown) => void;
  }> = [];
  private writing = false;
  private scheduled = false;

  /**
   * @param write stores a batch and returns one result per item, in order.
   *   When a batch of several fails, each item is written again on its own,
   *   so one bad item fails alone and never its neighbours.
   * @param maxBatch the most items written in one call of `write`.
   */
  constructor(
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 500,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule() {
    if (this.writing || this.scheduled) return;
    this.scheduled = true;
    // Lets the requests already parsed in this turn of the event loop join.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async writeAll(items: T[]): Promise<R[]> {
    const results = await this.write(items);
    if (results.length !== items.length) {
      throw new Error(
        `group commit: ${results.length} results for ${items.length} items`,
      );
    }
    return results;
  }

  private async flush() {
    if (this.writing || this.queue.length === 0) return;
    this.writing = true;
    const batch = this.queue.splice(0, this.maxBatch);
    try {
      try {
        const results = await this.writeAll(batch.map(b => b.item));
        batch.forEach((b, i) => b.resolve(results[i]));
      } catch (e) {
        if (batch.length === 1) throw e;
        // One by one: only the item that cannot be written fails.
        for (const b of batch) {
          try {
            b.resolve((await this.writeAll([b.item]))[0]);
          } catch (one) {
            b.reject(one);
          }
        }
      }
    } catch (e) {
      batch.forEach(b => b.reject(e));
    } finally {
      this.writing = false;
      if (this.queue.length > 0) this.schedule();
    }
  }
}
