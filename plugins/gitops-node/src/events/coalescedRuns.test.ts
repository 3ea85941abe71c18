import { CoalescedRuns } from './coalescedRuns';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>(r => (resolve = r));
  return { promise, resolve };
}

describe('CoalescedRuns', () => {
  it('runs a burst of requests during a run as one more run, after it', async () => {
    const gates = [deferred(), deferred()];
    let started = 0;
    const runs = new CoalescedRuns(async () => {
      const run = started++;
      await gates[run].promise;
      return run;
    });
    const first = runs.request();
    const burst = [runs.request(), runs.request(), runs.request()];
    expect(started).toBe(1);
    gates[0].resolve();
    await expect(first).resolves.toBe(0);
    gates[1].resolve();
    await expect(Promise.all(burst)).resolves.toEqual([1, 1, 1]);
    expect(started).toBe(2);
  });

  it('runs again after a failed run', async () => {
    let calls = 0;
    const runs = new CoalescedRuns(async () => {
      calls++;
      if (calls === 1) throw new Error('git failed');
      return calls;
    });
    const failing = runs.request();
    const next = runs.request();
    await expect(failing).rejects.toThrow('git failed');
    await expect(next).resolves.toBe(2);
    await expect(runs.request()).resolves.toBe(3);
  });
});
