// Push hints (docs/sync-protocol.md, "Push hints"): the identity's channel on the AppSync Events API
// tells the other devices of a commit within a second, so they need not wait for a poll. A hint is
// only a hint — DynamoDB stays the truth and delivery is at most once — so a lost hint costs a
// poll, a late or repeated one at most a header read, and a forged one nothing but that read.
//
//            connect()                 the channel subscribed
//    off ──────────────▶ connecting ─────────────────────────▶ subscribed
//     ▲                    ▲    │ refused, closed,                │
//     │ disconnect(),      │    ▼ keep-alives stopped             │
//     │ stop()             └── down ◀────────────────────────────┘
//     └──────────────────── (from any state)      (the transport reconnects itself, with backoff)
//
// `onStatus` tells each change to the scheduler, which polls every 15 s unless `subscribed` (then
// every 5 min) and catches up with one sync at each `subscribed`. A disconnected channel cannot be
// started again: connect() opens a new one.
//
// Publisher: each landed commit of this device (SyncContext.committed), per dataset the latest only,
// at most one publish in flight per dataset; a failed publish is logged once and dropped, since
// the other devices' polls bring the change anyway.
// Receiver: a hint of another device for a sync count newer than this copy holds syncs that dataset
// after HINT_DEBOUNCE_MS (one sync for a burst); hints arriving while that sync runs queue at most ONE
// more, which runs only if the copy is still behind them.
import { syncHintSchema, type SyncHint } from '../../../shared/sync-channel';
import { toAppErrorView } from '../../../shared/errors';
import { unsupportedName } from '../../aws/dataset-table';
import type { PushChannel, PushChannelOptions, PushState } from '../../aws/push/push-channel';
import { createRepeatLog, silentLogger, type Logger, type RepeatLog } from '../../platform/log';
import type { SyncStorage } from '../store/sync-storage';
import type { SyncEngine } from './sync-engine';

/** Hints for one dataset arriving within this time make one sync. */
export const HINT_DEBOUNCE_MS = 100;
/** More datasets than an identity may hold waiting at once is no honest burst: one sync of all serves them. */
export const MAX_DATASETS_WAITING = 100;
/** A hint is some 300 bytes; anything much longer is not one, and is not parsed. */
const MAX_HINT_CHARS = 4096;

export type PushStatus = 'off' | Exclude<PushState, 'stopped'>;

export interface PushHintsOptions {
  /** Opens the identity's channel with the receiver's callbacks (createPushChannel; a fake in tests). */
  openChannel(callbacks: Pick<PushChannelOptions, 'onEvent' | 'onState'>): PushChannel;
  identityId: string;
  /** This device's ID: the `dev` of what it publishes, and hints to ignore. */
  deviceId: string;
  storage: Pick<SyncStorage, 'syncState'>;
  engine: Pick<SyncEngine, 'syncDataset' | 'syncAll'>;
  /** Told each change of the connection's status. */
  onStatus?(status: PushStatus): void;
  log?: Logger;
  debounceMs?: number;
}

/** What became of the hints received and published since the start. */
export interface HintCounts {
  received: number;
  /** Not JSON, not a version 1 hint, or naming a dataset this app refuses. */
  invalid: number;
  /** Published by this device. */
  own: number;
  /** For a sync count this copy already holds. */
  stale: number;
  /** Syncs of a dataset the hints started. */
  synced: number;
  /** Syncs of all datasets, when more datasets than MAX_DATASETS_WAITING were hinted at once. */
  syncedAll: number;
  published: number;
  publishFailed: number;
}

export interface PushHints {
  /** Opens the channel (signed in, online, "Work offline" off); nothing when one is open. */
  connect(): void;
  /** Closes it (offline, "Work offline") and drops what waits to be sent; resolves when nothing more is sent. */
  disconnect(): Promise<void>;
  /** A change of this device landed at `syncCount`: the others hear of it. Returns at once. */
  committed(dataset: string, syncCount: number): void;
  status(): PushStatus;
  counts(): HintCounts;
  /** Disconnects for good and forgets the hints waiting; syncs already asked for are the engine's to finish. */
  stop(): Promise<void>;
}

/** What the receiver wants of one dataset. */
interface Waiting {
  /** The newest sync count a hint told. */
  upTo: number;
  timer?: ReturnType<typeof setTimeout>;
  running: boolean;
  /** A hint came while the sync ran: one more, if the copy is still behind. */
  again: boolean;
}

/** What the receiver and the publisher share with the connection. */
interface Shared {
  log: Logger;
  /** A forger's stream, a publish failing while the network is gone: each written once, then counted. */
  repeats: RepeatLog;
  counts: HintCounts;
  /** True once stop() was called: nothing starts any more. */
  stopped(): boolean;
}

export function createPushHints(options: PushHintsOptions): PushHints {
  const log = (options.log ?? silentLogger).child('push-hints');
  let channel: PushChannel | undefined;
  let status: PushStatus = 'off';
  let stopped = false;
  const shared: Shared = {
    log,
    repeats: createRepeatLog(log),
    counts: { received: 0, invalid: 0, own: 0, stale: 0, synced: 0, syncedAll: 0, published: 0, publishFailed: 0 },
    stopped: () => stopped,
  };
  const receiver = createHintReceiver(options, shared);
  const publisher = createHintPublisher(options.deviceId, shared);

  // The channel logs its own ups and downs (once per cause); here only what the scheduler is told.
  function setStatus(next: PushStatus, detail?: { code?: string }): void {
    if (next === status) return;
    status = next;
    log.debug('push hints', { status: next, code: detail?.code });
    options.onStatus?.(next);
  }

  /** A new channel of the identity, not started yet. */
  function open(): PushChannel {
    const opened: PushChannel = options.openChannel({
      // A channel closed here may still be finishing a callback: only the open one is heard.
      onEvent: (text) => {
        if (channel !== opened || stopped) return;
        try {
          receiver.received(text);
        } catch (error) {
          // Never into the transport: a hint that cannot be handled is one a poll covers.
          log.warn('a push hint could not be handled', { error });
        }
      },
      onState: (state, detail) => {
        if (channel === opened) setStatus(state === 'stopped' ? 'off' : state, detail);
      },
    });
    return opened;
  }

  async function disconnect(): Promise<void> {
    const closing = channel;
    channel = undefined;
    publisher.forget();
    // Offline nothing syncs; back online, the subscribe's catch-up reads every header anyway.
    receiver.forget();
    setStatus('off');
    if (closing === undefined) return;
    await closing.stop().catch((error: unknown) => log.debug('closing the push channel failed', { error }));
    await publisher.settled();
  }

  return {
    connect() {
      if (stopped || channel !== undefined) return;
      try {
        channel = open();
      } catch (error) {
        // Push is an extra: without it the scheduler polls as it always did.
        log.warn('could not open the push channel; polling instead', { error });
        return;
      }
      setStatus('connecting');
      channel.start();
    },
    disconnect,
    committed(dataset, syncCount) {
      // Offline or stopped: nobody can be told now, and the others' catch-up or poll finds it.
      if (channel !== undefined) publisher.committed(channel, dataset, syncCount);
    },
    status: () => status,
    counts: () => ({ ...shared.counts }),
    async stop() {
      stopped = true;
      await disconnect();
    },
  };
}

/** Hints in: which datasets to sync, and when. */
function createHintReceiver(options: PushHintsOptions, shared: Shared) {
  const { identityId, deviceId, storage, engine } = options;
  const { log, repeats, counts } = shared;
  const debounceMs = options.debounceMs ?? HINT_DEBOUNCE_MS;
  const waiting = new Map<string, Waiting>();
  let allTimer: ReturnType<typeof setTimeout> | undefined;

  function received(text: string): void {
    counts.received += 1;
    const hint = parseHint(text);
    if (hint === undefined) {
      counts.invalid += 1;
      repeats.failed('invalid', 'INVALID_HINT', 'warn', 'ignored a message on the sync channel that is not a push hint of this app');
      return;
    }
    if (hint.dev === deviceId) {
      counts.own += 1;
      return;
    }
    if (!behind(hint.ds, hint.sc)) {
      counts.stale += 1;
      return;
    }
    want(hint.ds, hint.sc);
  }

  /** This copy does not hold `syncCount` yet: it has not synced that far, or does not have the dataset. */
  function behind(dataset: string, syncCount: number): boolean {
    const held = storage.syncState(identityId, dataset);
    return held === undefined || syncCount > held.lastSyncCount;
  }

  function want(dataset: string, syncCount: number): void {
    let entry = waiting.get(dataset);
    if (entry === undefined) {
      if (waiting.size >= MAX_DATASETS_WAITING) return syncEverything();
      entry = { upTo: syncCount, running: false, again: false };
      waiting.set(dataset, entry);
    }
    entry.upTo = Math.max(entry.upTo, syncCount);
    if (entry.running) entry.again = true;
    else arm(dataset, entry);
  }

  // Not pushed back by each hint: a steady stream of hints still syncs once per window.
  function arm(dataset: string, entry: Waiting): void {
    entry.timer ??= setTimeout(() => {
      entry.timer = undefined;
      syncHinted(dataset, entry);
    }, debounceMs);
  }

  function syncHinted(dataset: string, entry: Waiting): void {
    // A poll or a sync of this device's own may have brought it meanwhile.
    if (shared.stopped() || !behind(dataset, entry.upTo)) {
      waiting.delete(dataset);
      return;
    }
    entry.running = true;
    counts.synced += 1;
    engine
      .syncDataset(dataset)
      .catch((error: unknown) => failedSync(error, 'dataset'))
      .finally(() => {
        entry.running = false;
        if (entry.again && !shared.stopped()) {
          entry.again = false;
          arm(dataset, entry);
        } else waiting.delete(dataset);
      });
  }

  // Once per window too, however many hints overflow it.
  function syncEverything(): void {
    allTimer ??= setTimeout(() => {
      allTimer = undefined;
      if (shared.stopped()) return;
      counts.syncedAll += 1;
      engine.syncAll().catch((error: unknown) => failedSync(error, 'all'));
    }, debounceMs);
  }

  // The engine's status shows and logs a dataset's failure, and offline is a state, not a failure.
  function failedSync(error: unknown, scope: 'dataset' | 'all'): void {
    log.debug('a sync a push hint asked for failed; polls try again', { code: toAppErrorView(error).code, scope });
  }

  return {
    received,
    /** Drops the hints waiting; the syncs running end by themselves, with no follow-up. */
    forget(): void {
      if (allTimer !== undefined) clearTimeout(allTimer);
      allTimer = undefined;
      for (const [dataset, entry] of waiting) {
        if (entry.timer !== undefined) clearTimeout(entry.timer);
        if (entry.running) entry.again = false;
        else waiting.delete(dataset);
      }
    },
  };
}

/** Hints out: per dataset the latest landed count, one publish in flight at a time. */
function createHintPublisher(deviceId: string, shared: Shared) {
  const { repeats, counts } = shared;
  /** Per dataset, the sync count to publish next, and on which channel. */
  const next = new Map<string, { channel: PushChannel; syncCount: number }>();
  const inFlight = new Map<string, Promise<void>>();

  function publishNext(dataset: string): void {
    const waiting = next.get(dataset);
    next.delete(dataset);
    if (waiting === undefined) return;
    const hint: SyncHint = { v: 1, ds: dataset, sc: waiting.syncCount, dev: deviceId };
    const sent = waiting.channel
      .publish(JSON.stringify(hint))
      .then(
        () => {
          counts.published += 1;
          repeats.ended('publish');
        },
        (error: unknown) => {
          counts.publishFailed += 1;
          const { code } = toAppErrorView(error);
          repeats.failed('publish', code, 'warn', 'could not publish a push hint; the other devices see the change at their next poll', { code });
        },
      )
      .finally(() => {
        inFlight.delete(dataset);
        publishNext(dataset);
      });
    inFlight.set(dataset, sent);
  }

  return {
    committed(channel: PushChannel, dataset: string, syncCount: number): void {
      next.set(dataset, { channel, syncCount });
      if (!inFlight.has(dataset)) publishNext(dataset);
    },
    /** Drops what waits to be published (the channel it was for is closing). */
    forget: () => next.clear(),
    /** The publishes in flight, settled. */
    settled: async () => void (await Promise.all(inFlight.values())),
  };
}

/** A version 1 hint naming a dataset this app accepts, or undefined. */
function parseHint(text: string): SyncHint | undefined {
  if (typeof text !== 'string' || text.length > MAX_HINT_CHARS) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = syncHintSchema.safeParse(value);
  // A name no dataset here can have would otherwise be created by the sync it starts.
  if (!parsed.success || unsupportedName(parsed.data.ds)) return undefined;
  return parsed.data;
}
