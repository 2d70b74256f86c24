// Test support: what the records table shows and what the page last asked for and heard, in words
// for a failure message — to tell a page read that never came from one that failed or read old rows.
import type { Page } from 'playwright-core';
import type { BridgeFrames } from './bridge-frames';

export async function describeTable(page: Page, frames: BridgeFrames, dataset: string): Promise<string> {
  const view = await page.evaluate(() => {
    const scroll = document.querySelector('.records-scroll');
    const rows = [...document.querySelectorAll('tr[data-row]')];
    const active = document.activeElement;
    return {
      scrollTop: scroll?.scrollTop,
      scrollHeight: scroll?.scrollHeight,
      rowCount: document.querySelector('table')?.getAttribute('aria-rowcount'),
      rows: rows.length,
      first: rows.slice(0, 3).map((row) => `${row.getAttribute('data-row')}: ${row.textContent?.slice(0, 60)}`),
      focus: active === null ? 'none' : `${active.tagName.toLowerCase()} ${active.getAttribute('data-col') ?? ''} ${active.closest('tr')?.getAttribute('data-row') ?? ''}`,
      alerts: [...document.querySelectorAll('[role="alert"]')].map((alert) => alert.textContent),
      status: document.querySelector('[role="status"]')?.textContent,
    };
  });
  const lists = frames.requests('records.list', dataset).slice(-6);
  const answered = lists.map((each) => {
    const answer = frames.answers.get(each.id);
    const outcome = answer === undefined ? 'no answer' : answer.ok ? 'ok' : `error ${JSON.stringify(answer.error)}`;
    return `${JSON.stringify(each.input)} → ${outcome}`;
  });
  const events = frames.events.slice(-8).map((each) => `${each.event} ${JSON.stringify(each.payload).slice(0, 80)}`);
  return [
    `table: ${JSON.stringify({ scrollTop: view.scrollTop, scrollHeight: view.scrollHeight, rowCount: view.rowCount, rowsDrawn: view.rows })}`,
    `first rows drawn: ${view.first.join(' | ')}`,
    `focus: ${view.focus}; status: ${view.status}; alerts: ${JSON.stringify(view.alerts)}`,
    `last records.list: ${answered.join('; ')}`,
    `last events: ${events.join(' | ')}`,
  ].join('\n');
}
