// The renderer's figures for `npm run bench`: opening a dataset of 100,000 records in Chromium
// (browser host page, signed in) until its first rows are on screen, and the main-thread time of
// each frame while its records table scrolls. Both are measured inside the page with
// performance.now(), so Playwright's own round trips do not count.
import type { Browser } from 'playwright-core';
import type { LocalCloud } from '../localcloud/start-local-cloud';
import { quantile } from './bridge-bench';
import type { BenchFigure } from './local-store-bench';
import { startSignedInWebHost } from './signed-in-web-host';

export interface RenderBenchOptions {
  /** Records in the dataset (100,000 for the figures). */
  records?: number;
  /** How long the table scrolls. */
  scrollMs?: number;
  /** Openings timed (the median counts). */
  opens?: number;
}

export const RENDER_FIGURES = ['render_100k_ms', 'scroll_100k_frame_ms_p95'] as const;

const DATASET = 'RenderBench';
// A brisk fling: about 170 rows of 36 px a second, so the table pages in as it goes.
const SCROLL_PX_PER_MS = 6;

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
 * Each frame's main-thread time: from the frame's first scroll event (where the virtualized table
 * re-renders) or its animation-frame callback, to the message posted from that callback, which
 * runs once the frame's style, layout and paint are done. Also the intervals between frames.
 */
const SCROLL_AND_TIME = `({ durationMs, pxPerMs }) => new Promise((resolve) => {
  const scroller = document.querySelector('.records-scroll');
  const work = [];
  const intervals = [];
  let frameStart;
  let lastFrame;
  const onScroll = () => { frameStart ??= performance.now(); };
  document.addEventListener('scroll', onScroll, { capture: true, passive: true });
  const channel = new MessageChannel();
  channel.port1.onmessage = () => { work.push(performance.now() - frameStart); frameStart = undefined; };
  const begin = performance.now();
  const frame = (timestamp) => {
    frameStart ??= performance.now();
    if (lastFrame !== undefined) intervals.push(timestamp - lastFrame);
    lastFrame = timestamp;
    const elapsed = performance.now() - begin;
    if (elapsed >= durationMs) {
      document.removeEventListener('scroll', onScroll, { capture: true });
      frameStart = undefined;
      resolve({ work, intervals, scrollTop: scroller.scrollTop, rows: scroller.querySelectorAll('tbody tr[aria-rowindex]').length });
      return;
    }
    scroller.scrollTop = elapsed * pxPerMs;
    channel.port2.postMessage(null);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})`;

export async function benchRender(cloud: LocalCloud, browser: Browser, options: RenderBenchOptions = {}): Promise<BenchFigure[]> {
  const records = options.records ?? 100_000;
  const scrollMs = options.scrollMs ?? 5_000;
  const opens = options.opens ?? 3;
  const running = await startSignedInWebHost(cloud, browser, { dataset: DATASET, records, valueBytes: 100 });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(running.host.url);
    const openTimes: number[] = [];
    for (let open = 0; open < opens; open += 1) {
      if (open > 0) await page.getByRole('button', { name: 'Back to datasets' }).click();
      const button = page.getByRole('button', { name: DATASET, exact: true });
      await button.waitFor({ timeout: 60_000 });
      const find = `[...document.querySelectorAll('button')].find((each) => each.textContent.trim() === ${JSON.stringify(DATASET)})`;
      openTimes.push((await page.evaluate(`(${OPEN_AND_TIME})(${find})`)) as number);
    }
    await page.locator('.records-scroll tbody tr[aria-rowindex]').first().waitFor();
    const scrolled = (await page.evaluate(`(${SCROLL_AND_TIME})(${JSON.stringify({ durationMs: scrollMs, pxPerMs: SCROLL_PX_PER_MS })})`)) as {
      work: number[];
      intervals: number[];
      scrollTop: number;
      rows: number;
    };
    if (scrolled.work.length < 10 || scrolled.rows === 0) throw new Error(`the scroll measured ${scrolled.work.length} frames and shows ${scrolled.rows} rows`);
    const long = scrolled.intervals.filter((interval) => interval > 25).length;
    return [
      {
        name: 'render_100k_ms',
        value: Number(quantile(openTimes, 0.5).toFixed(1)),
        unit: 'ms',
        target: 300,
        baseline: `click on the dataset in the list until its first rows are painted, in Chromium on the browser host page, ${records} records, median of ${opens} openings (${openTimes.map((time) => time.toFixed(0)).join(', ')} ms)`,
      },
      {
        name: 'scroll_100k_frame_ms_p95',
        value: Number(quantile(scrolled.work, 0.95).toFixed(2)),
        unit: 'ms',
        target: 16,
        baseline: `main-thread time per frame (scroll events, animation frame, style, layout, paint) over ${scrolled.work.length} frames while .records-scroll scrolls ${Math.round(scrolled.scrollTop)} px at ${SCROLL_PX_PER_MS * 1000} px/s through ${records} records; ${long} frame intervals over 25 ms`,
      },
    ];
  } finally {
    await context.close();
    await running.stop();
  }
}
