// The engine's progress keeps what a sync received apart from what it sent: "n of N" counts only the
// records sent of those it found to send, and the records pulled are their own figure.
import { afterEach, expect, test } from 'vitest';
import { silentLogger } from '../../../../main/platform/log';
import { createStatusTracker } from '../../../../main/datasets/sync/engine-status';
import { openTestStore } from '../../../support/dataset-store';

const ID = 'us-east-1:33333333-3333-4333-8333-333333333333';
const opened: { close(): void }[] = [];
afterEach(() => {
  for (const each of opened.splice(0)) each.close();
});

function tracker() {
  const store = openTestStore();
  opened.push(store);
  store.openOrCreate(ID, 'd');
  const status = createStatusTracker({ storage: store.syncStorage, identityId: ID, isOnline: () => true, log: silentLogger });
  opened.push(status);
  return status;
}

test('pulled records are counted apart from the records sent of those to send', () => {
  const status = tracker();
  status.started('d', 3);
  status.progress('d', { pulled: 250 });
  status.progress('d', { pushed: 2 });
  expect(status.status()).toMatchObject({ overall: 'syncing', done: 2, total: 3, pulled: 250, datasets: { d: { state: 'syncing', done: 2, total: 3, pulled: 250 } } });
});

test('sending more than it found to send (a pull left more) never reads "5 of 3"', () => {
  const status = tracker();
  status.started('d', 3);
  status.progress('d', { pushed: 5 });
  expect(status.status()).toMatchObject({ done: 5, total: 5, pulled: 0 });
  status.ended('d');
  expect(status.status()).toMatchObject({ done: 0, total: 0, pulled: 0 });
});
