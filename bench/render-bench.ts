// The renderer's figures for `npm run bench`, in Chromium on the browser host page, signed in, a
// dataset of 100,000 records of 1 KiB: the first opening of that dataset until its first rows are
// painted (cold: never opened in that page), and the intervals between animation frames while the
// records table is dragged from its first row to its last, through every record (the table stands
// for the whole dataset, so this is a thumb drag to the end). Both are measured inside the page
// with performance.now(), so Playwright's own round trips do not count; five rounds, each in a new page,
// and their medians count.
import type { Browser } from 'playwright-core';
import type { LocalCloud } from '../localcloud/start-local-cloud';
import { median, quantile, spread } from './stats';
import type { BenchFigure } from './local-store-bench';
import { startSignedInWebHost, type SignedInWebHost } from './signed-in-web-host';

export interface RenderBenchOptions {
  /** Records in the dataset (100,000 for the figures). */
  records?: number;
  /** How long the drag from the first row to the last takes. */
  scrollMs?: number;
  valueBytes?: number;
  /** Rounds, each in a new page (≥ 1; the median counts, the range is printed). */
  rounds?: number;
}

export const RENDER_FIGURES = ['render_100k_cold_ms', 'scroll_100k_frame_interval_p95_ms', 'scroll_100k_long_frames'] as const;

const DATASET = 'RenderBench';
/** An interval between animation frames this long lost at least one frame at 60 Hz. */
const LONG_FRAME_MS = 34;

// In the page, as source text: tsx would wrap functions passed to page.evaluate with helpers the
// page does not have.
const OPEN_AND_TIME = `(button) => new Promise((resolve) => {
  const start = performance.now();
  const firstRow = () => document.querySelector('.records-scroll tbody tr[aria-rowindex]');
  const observer = new MutationObserver(() => {
    if (!firstRow()) return;
    observer.disconnect();
    // The frame that shows the rows: after its rendering, a posted message runs.
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve(performance.now() - start);
      channel.port2.postMessage(null);
    });
  });
  observer.observe(document.body, { childList: true, subtree: true });
  button.click();
})`;

/**
 * Drags the table from its first row to its last in `durationMs` (scrollTop set each frame, as a
 * thumb drag does), then waits for the last row to be painted; every interval between animation
 * frame callbacks is kept, the wait for the last row included.
 */
const DRAG_TO_END = `({ durationMs }) => new Promise((resolve) => {
  const scroller = document.querySelector('.records-scroll');
  const rowCount = Number(scroller.querySelector('table').getAttribute('aria-rowcount'));
  const intervals = [];
  let last;
  const begin = performance.now();
  const lastRowShown = () => scroller.querySelector('tbody tr[aria-rowindex="' + rowCount + '"]') !== null;
  const frame = (timestamp) => {
    if (last !== undefined) intervals.push(timestamp - last);
    last = timestamp;
    const progress = Math.min(1, (performance.now() - begin) / durationMs);
    scroller.scrollTop = progress * (scroller.scrollHeight - scroller.clientHeight);
    if (progress === 1 && lastRowShown()) {
      resolve({ intervals, reachedMs: performance.now() - begin, rowCount, scrollTop: scroller.scrollTop });
      return;
    }
    if (performance.now() - begin > durationMs + 30000) {
      resolve({ intervals, reachedMs: NaN, rowCount, scrollTop: scroller.scrollTop });
      return;
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})`;

interface Round {
  coldMs: number;
  intervals: number[];
  reachedMs: number;
}

/** One round in a new page (a new browser context): the dataset's cold first open, then the drag. */
async function renderRound(browser: Browser, running: SignedInWebHost, records: number, scrollMs: number): Promise<Round> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(running.host.url);
    const button = page.getByRole('button', { name: DATASET, exact: true });
    await button.waitFor({ timeout: 60_000 });
    const find = `[...document.querySelectorAll('button')].find((each) => each.textContent.trim() === ${JSON.stringify(DATASET)})`;
    const coldMs = (await page.evaluate(`(${OPEN_AND_TIME})(${find})`)) as number;
    await page.locator('.records-scroll tbody tr[aria-rowindex]').first().waitFor();
    const dragged = (await page.evaluate(`(${DRAG_TO_END})(${JSON.stringify({ durationMs: scrollMs })})`)) as {
      intervals: number[];
      reachedMs: number;
      rowCount: number;
      scrollTop: number;
    };
    if (!Number.isFinite(dragged.reachedMs)) throw new Error(`the drag never showed the last row (row ${dragged.rowCount}) at scrollTop ${dragged.scrollTop}`);
    if (dragged.rowCount !== records + 1) throw new Error(`the table stands for ${dragged.rowCount - 1} records, not ${records}`);
    return { coldMs, intervals: dragged.intervals, reachedMs: dragged.reachedMs };
  } finally {
    await context.close();
  }
}

export async function benchRender(cloud: LocalCloud, browser: Browser, options: RenderBenchOptions = {}): Promise<BenchFigure[]> {
  const records = options.records ?? 100_000;
  const scrollMs = options.scrollMs ?? 10_000;
  const valueBytes = options.valueBytes ?? 1024;
  const roundCount = Math.max(1, options.rounds ?? 5);
  const running = await startSignedInWebHost(cloud, browser, { dataset: DATASET, records, valueBytes });
  try {
    // Each round is a new page, so each first open is cold (never opened in that page); one opening
    // alone swung between 125 and 423 ms with the machine's load, so the median of the rounds counts.
    const rounds: Round[] = [];
    for (let round = 0; round < roundCount; round += 1) rounds.push(await renderRound(browser, running, records, scrollMs));
    const p95s = rounds.map((each) => quantile(each.intervals, 0.95));
    const longs = rounds.map((each) => each.intervals.filter((interval) => interval > LONG_FRAME_MS).length);
    const intervals = rounds.map((each) => each.intervals.length);
    const drag = `dragging .records-scroll from the first row to the last of ${records} records (${valueBytes}-byte values) in ${scrollMs / 1000} s, scrollTop set every frame, until the last row is painted (${rounds.map((each) => (each.reachedMs / 1000).toFixed(2)).join(', ')} s), each round in a new page; ${Math.round(median(intervals))} intervals between requestAnimationFrame callbacks per round`;
    return [
      {
        name: 'render_100k_cold_ms',
        value: Number(median(rounds.map((each) => each.coldMs)).toFixed(1)),
        unit: 'ms',
        target: 300,
        baseline: `first click on the dataset in the list until its first rows are painted, in Chromium on the browser host page, ${records} records of ${valueBytes} B, the dataset never opened in that page before; ${spread(rounds.map((each) => each.coldMs), 1)} (each a new page)`,
      },
      {
        name: 'scroll_100k_frame_interval_p95_ms',
        value: Number(median(p95s).toFixed(2)),
        unit: 'ms',
        target: 20,
        baseline: `95th percentile of the frame intervals ${drag}; ${spread(p95s, 1)}; median interval ${median(rounds.flatMap((each) => each.intervals)).toFixed(1)} ms, max ${Math.max(...rounds.flatMap((each) => each.intervals)).toFixed(1)} ms`,
      },
      {
        name: 'scroll_100k_long_frames',
        value: median(longs),
        unit: 'frames',
        target: Math.ceil(median(intervals) * 0.01),
        baseline: `frame intervals over ${LONG_FRAME_MS} ms (at least one frame lost at 60 Hz) in one drag ${drag}; ${spread(longs, 0)}; target: at most 1% of a drag's intervals`,
      },
    ];
  } finally {
    await running.stop();
  }
}
