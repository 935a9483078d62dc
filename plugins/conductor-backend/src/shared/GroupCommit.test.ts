import { GroupCommit } from './GroupCommit';

describe('GroupCommit', () => {
  it('writes concurrent items in one batch and resolves each with its own result', async () => {
    const batches: number[][] = [];
    const commit = new GroupCommit(async (items: number[]) => {
      batches.push(items);
      await new Promise(r => setTimeout(r, 5));
      return items.map(x => x * 10);
    });
    const first = await Promise.all([1, 2, 3].map(x => commit.add(x)));
    expect(first).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);

    // Items added while a batch is being written wait for the next batch.
    const a = commit.add(4);
    await new Promise(r => setImmediate(r));
    const rest = [commit.add(5), commit.add(6)];
    expect(await Promise.all([a, ...rest])).toEqual([40, 50, 60]);
    expect(batches.slice(1)).toEqual([[4], [5, 6]]);
  });

  it('retries a failed batch item by item: only the bad item fails, and it goes on with the next', async () => {
    const batches: string[][] = [];
    const commit = new GroupCommit(async (items: string[]) => {
      batches.push(items);
      if (items.includes('bad')) throw new Error('disk full');
      return items.map(x => x.toUpperCase());
    });
    const settled = await Promise.allSettled([
      commit.add('ok'),
      commit.add('bad'),
    ]);
    expect(settled.map(r => r.status)).toEqual(['fulfilled', 'rejected']);
    expect((settled[0] as PromiseFulfilledResult<string>).value).toBe('OK');
    expect(batches).toEqual([['ok', 'bad'], ['ok'], ['bad']]);
    expect(await commit.add('later')).toBe('LATER');
  });
});
