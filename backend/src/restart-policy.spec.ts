import { RestartPolicy } from './restart-policy';

describe('RestartPolicy', () => {
  const options = { delayMs: 100, restarts: 3, windowMs: 10_000 };

  it('restarts with a doubling delay and gives up on the crash after the allowed restarts inside the window', () => {
    const policy = new RestartPolicy(options);
    expect([0, 1, 2, 3].map((t) => policy.crashed(t))).toEqual([
      { restart: true, recentCrashes: 1, delayMs: 100 },
      { restart: true, recentCrashes: 2, delayMs: 200 },
      { restart: true, recentCrashes: 3, delayMs: 400 },
      { restart: false, recentCrashes: 4 },
    ]);
  });

  it('forgets crashes older than the window, so sparse crashes never add up to a loop', () => {
    const policy = new RestartPolicy(options);
    for (let i = 0; i < 20; i++) expect(policy.crashed(i * 5_000)).toMatchObject({ restart: true, recentCrashes: i === 0 ? 1 : 2 });
  });

  it('never waits longer than 30 s', () => {
    const policy = new RestartPolicy({ delayMs: 20_000, restarts: 5, windowMs: 600_000 });
    policy.crashed(0);
    expect(policy.crashed(1)).toMatchObject({ delayMs: 30_000 });
  });
});
