import { LatestOnly } from './latest-only';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('LatestOnly', () => {
  it('applies only the load started last when an older one answers later', async () => {
    const latest = new LatestOnly();
    const older = deferred<string>();
    const newer = deferred<string>();
    const first = latest.run('clip', () => older.promise);
    const second = latest.run('clip', () => newer.promise);
    newer.resolve('ANALYZING');
    older.resolve('GENERATING');
    await expect(second).resolves.toBe('ANALYZING');
    await expect(first).resolves.toBeUndefined();
  });

  it('keeps keys independent and reports the error of the newest load only', async () => {
    const latest = new LatestOnly();
    const stale = latest.run('a', () => Promise.reject(new Error('stale')));
    const current = latest.run('a', () => Promise.reject(new Error('current')));
    const other = latest.run('b', () => Promise.resolve(1));
    await expect(stale).resolves.toBeUndefined();
    await expect(current).rejects.toThrow('current');
    await expect(other).resolves.toBe(1);
  });
});
