// The bridge's figures for `npm run bench`: the round trip of a record get or put from a WebSocket
// client (what the browser host's page uses) through the router and the store and back, on a
// dataset of 10,000 records, with the app composed and signed in as a person runs it. Gets and puts
// are told apart: a get is a read, a put a durable transaction (an fsync), an order of magnitude apart.
import type { Browser } from 'playwright-core';
import type { LocalCloud } from '../localcloud/start-local-cloud';
import { openBridge, type BridgeClient } from './bridge-client';
import type { BenchFigure } from './local-store-bench';
import { quantile } from './stats';
import { startSignedInWebHost } from './signed-in-web-host';

export interface BridgeBenchOptions {
  /** Records in the dataset (10,000 for the figures). */
  records?: number;
  /** Round trips timed (half gets, half puts). */
  roundTrips?: number;
  valueBytes?: number;
}

export const BRIDGE_FIGURES = ['bridge_get_p50_ms', 'bridge_get_p99_ms', 'bridge_put_p50_ms', 'bridge_put_p99_ms'] as const;

const DATASET = 'BridgeBench';

export async function benchBridge(cloud: LocalCloud, browser: Browser, options: BridgeBenchOptions = {}): Promise<BenchFigure[]> {
  const records = options.records ?? 10_000;
  const roundTrips = options.roundTrips ?? 2_000;
  const valueBytes = options.valueBytes ?? 1024;
  const running = await startSignedInWebHost(cloud, browser, { dataset: DATASET, records, valueBytes });
  let bridge: BridgeClient | undefined;
  try {
    bridge = await openBridge(running);
    const call = bridge.call;
    const value = 'w'.repeat(valueBytes);
    const keyOf = (index: number) => `r${String((index * 7919) % records).padStart(7, '0')}`;
    const step = async (index: number) => {
      const result =
        index % 2 === 0
          ? await call('records.get', { dataset: DATASET, key: keyOf(index) })
          : await call('records.put', { dataset: DATASET, key: keyOf(index), value });
      if (!result.ok) throw new Error(`the bridge refused a bench request: ${result.error?.code}`);
    };
    // Warm-up: JIT, the statement cache and the socket, untimed.
    for (let index = 0; index < Math.min(200, roundTrips); index += 1) await step(index);
    const times: number[] = [];
    for (let index = 0; index < roundTrips; index += 1) {
      const start = performance.now();
      await step(index);
      times.push(performance.now() - start);
    }
    const gets = times.filter((_, index) => index % 2 === 0);
    const puts = times.filter((_, index) => index % 2 === 1);
    const baseline = (what: string, count: number) =>
      `${what} over the browser host's WebSocket with the ws client, ${count} of them (gets and puts alternating, ${valueBytes}-byte values) on a dataset of ${records} records, app signed in`;
    const figure = (name: (typeof BRIDGE_FIGURES)[number], values: number[], q: number, target: number, what: string): BenchFigure => ({
      name,
      value: Number(quantile(values, q).toFixed(3)),
      unit: 'ms',
      target,
      baseline: baseline(what, values.length),
    });
    return [
      figure('bridge_get_p50_ms', gets, 0.5, 1, 'one records.get'),
      figure('bridge_get_p99_ms', gets, 0.99, 5, 'one records.get'),
      figure('bridge_put_p50_ms', puts, 0.5, 5, 'one records.put, each a durable transaction (synchronous=FULL)'),
      figure('bridge_put_p99_ms', puts, 0.99, 15, 'one records.put, each a durable transaction (synchronous=FULL)'),
    ];
  } finally {
    bridge?.close();
    await running.stop();
  }
}
