import { recorder } from './recorder';

describe('recorder', () => {
  afterEach(() => jest.restoreAllMocks());

  it('finds the busiest second wherever it falls, and the mean rate', () => {
    const record = recorder();
    // Four requests within 950 ms that straddle a wall-clock second.
    for (const at of [10_000, 10_600, 10_900, 11_500, 11_550]) {
      jest.spyOn(Date, 'now').mockReturnValue(at);
      record.started('GET /admin/realms/portal/users');
      record.counted('users');
      record.finished();
    }
    const stats = record.snapshot();
    expect(stats.peakPerSecond).toBe(4);
    expect(stats.meanPerSecond).toBeCloseTo(5 / 1.55);
    expect(stats.peakConcurrency).toBe(1);
    expect(stats).toMatchObject({ firstAt: 10_000, lastAt: 11_550 });

    record.reset();
    expect(record.snapshot()).toMatchObject({
      requests: 0,
      peakPerSecond: 0,
      meanPerSecond: 0,
    });
  });
});
