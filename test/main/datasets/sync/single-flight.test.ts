// One run at a time: calls during a run are served by ONE follow-up run.
import { expect, test } from 'vitest';
import { createSingleFlight } from '../../../../main/datasets/sync/single-flight';

test('calls while a run is under way share one follow-up run; a failed run does not stop the follow-up', async () => {
  let runs = 0;
  const gates: (() => void)[] = [];
  const flight = createSingleFlight(async () => {
    runs += 1;
    const run = runs;
    await new Promise<void>((resolve) => gates.push(resolve));
    if (run === 1) throw new Error('first failed');
    return run;
  });
  const first = flight.run();
  const second = flight.run();
  const third = flight.run();
  expect(flight.busy()).toBe(true);
  expect(second).toBe(third);
  gates[0]!();
  await expect(first).rejects.toThrow('first failed');
  await expect.poll(() => gates.length).toBe(2);
  gates[1]!();
  expect(await second).toBe(2);
  expect(await third).toBe(2);
  expect(runs).toBe(2);
  expect(flight.busy()).toBe(false);
  expect(flight.pending()).toEqual([]);
});
