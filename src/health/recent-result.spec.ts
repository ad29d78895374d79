import { RecentResult } from './recent-result.js';

describe('RecentResult', () => {
  let now: number;
  let runs: number;
  let finish: Array<(value: string) => void>;
  const recent = () =>
    new RecentResult(
      () => {
        runs++;
        return new Promise<string>((resolve) => finish.push(resolve));
      },
      1_000,
      () => now,
    );

  beforeEach(() => {
    now = 0;
    runs = 0;
    finish = [];
  });

  it('shares one run in flight, reuses it for the period after it settled, then runs again', async () => {
    const check = recent();
    const first = [check.get(), check.get(), check.get()];
    expect(runs).toBe(1);
    finish[0]('one');
    expect(await Promise.all(first)).toEqual(['one', 'one', 'one']);
    now = 999;
    expect(await check.get()).toBe('one');
    expect(runs).toBe(1);
    now = 1_000;
    const next = check.get();
    expect(runs).toBe(2);
    finish[1]('two');
    expect(await next).toBe('two');
  });

  it('reuses a failure too, for the same period', async () => {
    let fails = 0;
    const check = new RecentResult(
      () => {
        fails++;
        return Promise.reject(new Error('down'));
      },
      1_000,
      () => now,
    );
    await expect(check.get()).rejects.toThrow('down');
    await expect(check.get()).rejects.toThrow('down');
    expect(fails).toBe(1);
    now = 1_000;
    await expect(check.get()).rejects.toThrow('down');
    expect(fails).toBe(2);
  });
});
