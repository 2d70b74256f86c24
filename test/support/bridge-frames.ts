// Test support: what a page says to its browser host over the bridge's WebSocket and what it hears
// back (renderer/src/websocket-api.ts frames: `{id, command, input}` out, `{id, result}` and
// `{event, payload}` in), and a Sync now that waits for the sync its click started.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export interface SentRequest {
  id?: unknown;
  command: string;
  input: Record<string, unknown>;
}

export interface BridgeFrames {
  /** The page's requests, in the order sent. */
  sent: SentRequest[];
  /** The host's events, in the order received. */
  events: { event: string; payload: Record<string, unknown> }[];
  /** The host's answers by request id. */
  answers: Map<unknown, { ok: boolean; error?: unknown }>;
  /** Every raw frame the page received, as text (to look for what must never cross). */
  raw: string[];
  /** The requests of `command`, of `dataset` if given. */
  requests(command: string, dataset?: string): SentRequest[];
}

/** Starts recording the frames of every WebSocket `page` opens from now on. */
export function recordBridgeFrames(page: Page, frames: BridgeFrames = emptyFrames()): BridgeFrames {
  page.on('websocket', (socket) => {
    socket.on('framesent', (frame) => {
      const data = JSON.parse(String(frame.payload)) as Partial<SentRequest>;
      if (data.command) frames.sent.push({ id: data.id, command: data.command, input: data.input ?? {} });
    });
    socket.on('framereceived', (frame) => {
      const text = String(frame.payload);
      frames.raw.push(text);
      const data = JSON.parse(text) as { event?: string; payload?: Record<string, unknown>; id?: unknown; result?: { ok: boolean; error?: unknown } };
      if (data.event) frames.events.push({ event: data.event, payload: data.payload ?? {} });
      else if (data.id !== undefined && data.result) frames.answers.set(data.id, data.result);
    });
  });
  return frames;
}

/** A record of frames to share between pages (several devices' pages in one list). */
export function emptyFrames(): BridgeFrames {
  const frames: BridgeFrames = {
    sent: [],
    events: [],
    answers: new Map(),
    raw: [],
    requests: (command, dataset) => frames.sent.filter((each) => each.command === command && (dataset === undefined || each.input.dataset === dataset)),
  };
  return frames;
}

/**
 * Clicks Sync now and waits for the answer to the sync.now it sent, then for the status bar to say
 * "Synced". The status alone is not enough: it may still say "Synced" from before a change whose
 * status has not arrived yet, and then the click's sync has not even started.
 */
export async function clickSyncNow(page: Page, frames: BridgeFrames, { timeout = 60_000 }: { timeout?: number } = {}): Promise<void> {
  const button = page.getByRole('button', { name: 'Sync now' });
  const status = page.getByRole('status');
  await expect.poll(async () => (await button.isEnabled()) || `disabled while the status says: ${await status.textContent()}`, { timeout }).toBe(true);
  // Requests of other pages may share `frames`: this page's sync.now is the first new one after the click.
  const before = new Set(frames.requests('sync.now'));
  await button.click({ timeout: 10_000 });
  await expect.poll(() => frames.requests('sync.now').some((each) => !before.has(each)), { timeout: 30_000, message: 'a sync.now request after the click' }).toBe(true);
  const request = frames.requests('sync.now').find((each) => !before.has(each))!;
  await expect.poll(() => frames.answers.has(request.id), { timeout, message: 'the answer to Sync now' }).toBe(true);
  expect(frames.answers.get(request.id), 'the answer to Sync now').toMatchObject({ ok: true });
  await expect.poll(() => status.textContent(), { timeout }).toBe('Synced');
}
