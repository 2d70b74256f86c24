// Push hints' figures for `npm run bench` (issue 17), on composed apps behind the browser host, each
// device signed in as a person signs in, every step through the bridge's WebSocket:
// - remote_change_visible_ms_p50 / _p95: a records.put on device A until device B's page could show
//   it (B's bridge sent a remote records.changed for the dataset and records.get there answers the
//   new value), at the app's own timers. The baseline, in the same run and alternating with it, is
//   the same round between two devices of another user whose profile names no Events API: they
//   learn of a change by the 15 s poll.
// - idle_requests_per_device_hour: DynamoDB requests (counted at the gateway, where AWS bills them)
//   of a signed-in device that changes nothing, push subscribed. An hour is too long for a bench, so
//   its two timers run 60 times faster (the 15 s poll in 250 ms, the 5 min safety poll in 5 s) for
//   one minute; beside it, at the same speed, a device without the Events API is the baseline.
//   Nothing else the scheduler does depends on time; a real Events connection that drops would add
//   one catch-up Query per reconnect, which the stand-in's connections never do unasked.
import type { Browser } from 'playwright-core';
import type { LocalCloud } from '../localcloud/start-local-cloud';
import { DEFAULT_SYNC_INTERVAL_MS, SAFETY_POLL_MS } from '../main/datasets/sync/sync-scheduler';
import { openBridge, type BridgeClient } from './bridge-client';
import type { BenchFigure } from './local-store-bench';
import { startSignedInWebHost, type SignedInWebHost, type SignedInWebHostOptions } from './signed-in-web-host';
import { median, quantile, spread } from './stats';

export const PUSH_FIGURES = ['remote_change_visible_ms_p50', 'remote_change_visible_ms_p95', 'idle_requests_per_device_hour'] as const;

export interface PushBenchOptions {
  /** Timed rounds with push hints (their p50 and p95 are the figures). */
  rounds?: number;
  /** Rounds of the polling baseline, spread among them (each waits for a 15 s poll: ~7.5 s). */
  baselineRounds?: number;
  /** How long the idle devices are watched, in ms (one simulated hour at 60×). */
  idleMs?: number;
  valueBytes?: number;
  only?: ReadonlySet<string>;
}

const DATASET = 'PushBench';
/** The idle figure's time scale: one minute stands for one hour. */
const SPEED = 60;
const HOUR_MS = 3_600_000;

interface Device {
  running: SignedInWebHost;
  bridge: BridgeClient;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function openDevice(cloud: LocalCloud, browser: Browser, options: SignedInWebHostOptions, opened: Device[]): Promise<Device> {
  const running = await startSignedInWebHost(cloud, browser, { dataset: DATASET, records: 0, valueBytes: 0 }, { online: true, ...options });
  const device = { running, bridge: await openBridge(running).catch(async (error: unknown) => { await running.stop(); throw error; }) };
  opened.push(device);
  return device;
}

async function ok(device: Device, command: string, input: unknown): Promise<unknown> {
  const result = await device.bridge.call(command, input);
  if (!result.ok) throw new Error(`the bridge refused ${command}: ${result.error?.code}`);
  return result.value;
}

/** Until `check` holds (polled every 20 ms), or throws after `timeoutMs`. */
async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`push bench: ${what} did not happen within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/**
 * One round: a put on `from` until `to` shows it. The clock starts before the put is sent and stops
 * when `to`'s records.get (asked after each remote records.changed of the dataset) has the value.
 */
async function visibleAfterMs(from: Device, to: Device, key: string, value: string, timeoutMs: number): Promise<number> {
  let changes = 0;
  const stop = to.bridge.onEvent((event, payload) => {
    const change = payload as { dataset?: string; origin?: string };
    if (event === 'records.changed' && change.dataset === DATASET && change.origin === 'remote') changes += 1;
  });
  try {
    let seen = 0;
    const start = performance.now();
    await ok(from, 'records.put', { dataset: DATASET, key, value });
    await until(
      `${key} on the other device`,
      async () => {
        if (changes === seen) return false;
        seen = changes;
        const record = (await ok(to, 'records.get', { dataset: DATASET, key })) as { value?: string } | null;
        return record?.value === value;
      },
      timeoutMs,
    );
    return performance.now() - start;
  } finally {
    stop();
  }
}

/** Both devices hold the dataset, and each has synced once since it signed in. */
async function paired(from: Device, to: Device, timeoutMs: number): Promise<void> {
  await ok(from, 'datasets.openOrCreate', { dataset: DATASET });
  await visibleAfterMs(from, to, 'warm-up', 'warm-up', timeoutMs);
}

export async function benchPush(cloud: LocalCloud, browser: Browser, options: PushBenchOptions = {}): Promise<BenchFigure[]> {
  const rounds = options.rounds ?? 30;
  const baselineRounds = options.baselineRounds ?? 5;
  const idleMs = options.idleMs ?? HOUR_MS / SPEED;
  const value = 'p'.repeat(options.valueBytes ?? 1024);
  const wanted = (name: string) => options.only === undefined || options.only.has(name);
  const figures: BenchFigure[] = [];
  const opened: Device[] = [];
  const stopAll = async () => {
    for (const device of opened.splice(0)) {
      device.bridge.close();
      await device.running.stop();
    }
  };
  try {
    if (wanted('idle_requests_per_device_hour')) {
      const fast = { intervalMs: DEFAULT_SYNC_INTERVAL_MS / SPEED, safetyPollMs: SAFETY_POLL_MS / SPEED };
      const pushed = await openDevice(cloud, browser, { user: 0, pushHints: true, syncTiming: fast }, opened);
      const polling = await openDevice(cloud, browser, { user: 1, pushHints: false, syncTiming: fast }, opened);
      // Settled: signed in, the sign-in sync and the subscribe's catch-up done.
      await until('the push channel subscribing', () => (cloud.pushCounts()[pushed.running.identityId]?.subscribes ?? 0) >= 1, 10_000);
      await sleep(1_000);
      cloud.resetRequestCounts();
      await sleep(idleMs);
      const counts = cloud.requestCounts();
      const total = (identityId: string) => Object.values(counts[identityId] ?? {}).reduce((sum, each) => sum + each, 0);
      const perHour = (identityId: string) => (total(identityId) * HOUR_MS) / (idleMs * SPEED);
      figures.push({
        name: 'idle_requests_per_device_hour',
        value: Math.round(perHour(pushed.running.identityId) * 10) / 10,
        unit: 'requests/h',
        target: 12,
        baseline: `a signed-in device changing nothing, push subscribed (${JSON.stringify(counts[pushed.running.identityId] ?? {})} in ${idleMs / 1000} s with its timers ${SPEED}× faster, i.e. ${((idleMs * SPEED) / 60_000).toFixed(0)} minutes of the app's time), vs a device polling without the Events API at the same speed: ${perHour(polling.running.identityId).toFixed(0)} requests/h`,
      });
      await stopAll();
    }

    if (wanted('remote_change_visible_ms_p50') || wanted('remote_change_visible_ms_p95')) {
      // The app's own timers: push hints for alice's two devices, the 15 s poll for bob's.
      const a = await openDevice(cloud, browser, { user: 0, pushHints: true }, opened);
      const b = await openDevice(cloud, browser, { user: 0, pushHints: true }, opened);
      const c = await openDevice(cloud, browser, { user: 1, pushHints: false }, opened);
      const d = await openDevice(cloud, browser, { user: 1, pushHints: false }, opened);
      await paired(a, b, 30_000);
      await paired(c, d, 60_000);
      const pushed: number[] = [];
      const polled: number[] = [];
      const every = Math.max(1, Math.floor(rounds / Math.max(1, baselineRounds)));
      for (let round = 0; round < rounds; round += 1) {
        // From A to B and back, so neither side is always the one that commits.
        const [from, to] = round % 2 === 0 ? [a, b] : [b, a];
        pushed.push(await visibleAfterMs(from, to, `k${round}`, `${value}${round}`, 30_000));
        if (round % every === every - 1 && polled.length < baselineRounds) {
          polled.push(await visibleAfterMs(c, d, `k${round}`, `${value}${round}`, 2 * DEFAULT_SYNC_INTERVAL_MS + 10_000));
        }
        // Apart from the next put by more than the change debounce, so each round is its own sync.
        await sleep(300 + Math.random() * 200);
      }
      const baseline = `a records.put on device A until device B's bridge shows it (a remote records.changed, then records.get answers the value), ${value.length}-byte values, ${pushed.length} rounds between two devices of one user with push hints: ${spread(pushed, 0)} (ms); the same between two devices of another user polling every 15 s without the Events API, alternating with them: ${spread(polled, 0)} (ms)`;
      figures.push(
        { name: 'remote_change_visible_ms_p50', value: Math.round(quantile(pushed, 0.5)), unit: 'ms', target: 1_000, baseline },
        { name: 'remote_change_visible_ms_p95', value: Math.round(quantile(pushed, 0.95)), unit: 'ms', target: 2_000, baseline: `the same rounds' 95th percentile (polling: p95 ${Math.round(quantile(polled, 0.95))} ms, median ${Math.round(median(polled))} ms)` },
      );
    }
  } finally {
    await stopAll();
  }
  return figures;
}
