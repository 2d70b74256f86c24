// The whole bridge between the renderer and the main process, in one place. The schemas are both
// the TypeScript types and the runtime check every transport applies before a handler runs.
// Inputs are strict (unknown fields refused); outputs are parsed too, so nothing unlisted — no
// token, no key — can cross. Long lists cross in pages (a cursor), never whole.
import { z } from 'zod';
import { appErrorViewSchema, type AppErrorView } from './errors';

export { appErrorViewSchema, type AppErrorView };

export const profileSchema = z.object({
  sub: z.string(),
  email: z.string().optional(),
  name: z.string().optional(),
  picture: z.string().optional(),
});

export const sessionViewSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('signedOut'), reason: appErrorViewSchema.optional() }),
  z.object({ state: z.literal('signingIn') }),
  z.object({ state: z.literal('signedIn'), profile: profileSchema, identityId: z.string().optional() }),
]);
export type SessionView = z.infer<typeof sessionViewSchema>;

/** Which cloud the app talks to, for the signed-out screen: no secret, nothing to act on. */
export const cloudViewSchema = z.object({
  /** The Auth0 tenant's host, e.g. example.eu.auth0.com, or 127.0.0.1:PORT for the local cloud. */
  tenant: z.string(),
  local: z.boolean(),
  region: z.string(),
});
export type CloudView = z.infer<typeof cloudViewSchema>;

/**
 * A device of the signed-in user, as a record or a conflict names the one that wrote it: by its name,
 * never its ID alone. Names from the cloud are made safe to show first (shared/device-name.ts).
 */
export const deviceViewSchema = z.object({
  id: z.string(),
  /** Its name (one line, no control or bidi-control characters, at most 64 characters); "another device (1a2b3c4d)" when it never told one. */
  name: z.string(),
  /** False when the device never told its name (then `name` is made from its ID). */
  named: z.boolean(),
  thisDevice: z.boolean(),
});
export type DeviceView = z.infer<typeof deviceViewSchema>;

/** This device, for device.get and device.rename (not per user: the profile dir is the device). */
export const thisDeviceSchema = z.object({
  id: z.string(),
  /** The name it goes by, here and on the user's other devices after their next sync. */
  name: z.string(),
  /** The computer's name, which it goes by until renamed; null when the system gave none. */
  defaultName: z.string().nullable(),
  /** When it was last renamed (this device's clock); null while it goes by its default name. */
  renamedAt: z.number().nullable(),
});
export type ThisDeviceView = z.infer<typeof thisDeviceSchema>;

// Names, keys and values are checked against the dataset limits by the store (LIMIT_* codes with a
// sentence); the bounds here only keep absurd input from reaching it.
const datasetName = z.string().min(1).max(1024);
const recordKey = z.string().min(1).max(1024);
const recordValue = z.string().max(512 * 1024);
const cursor = z.string().max(2048);

// A lone UTF-16 surrogate has no UTF-8 form: SQLite would see U+FFFD in its place and match keys the
// user never asked for. Keys and values are refused by the store (LIMIT_NOT_UTF8); a filter here.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
const keyPrefix = z
  .string()
  .max(1024)
  .refine(isWellFormedText, { message: 'the prefix holds a lone UTF-16 surrogate, which no key can start with; remove it' });

/** Records in one records.list page at most. */
export const RECORDS_PAGE_MAX = 1000;
/**
 * UTF-8 bytes of keys and values one records.list page carries at most: a page that would hold more
 * ends early, with a cursor (so a page of whole values stays a few MiB whatever the values hold).
 */
export const RECORDS_PAGE_BYTES = 2 * 1024 * 1024;
/** What one answer may weigh as JSON; a transport sends ANSWER_TOO_LARGE instead of a heavier one. */
export const ANSWER_MAX_BYTES = 16 * 1024 * 1024;

export const conflictPolicySchema = z.enum(['manual', 'lastWriterWins', 'remote', 'local']);
export type ConflictPolicyName = z.infer<typeof conflictPolicySchema>;

export const datasetSummarySchema = z.object({
  name: z.string(),
  recordCount: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  lastSyncedAt: z.number().nullable(),
  pendingChanges: z.number().int().nonnegative(),
  conflicts: z.number().int().nonnegative(),
  syncPending: z.boolean(),
  policy: conflictPolicySchema,
});
export type DatasetSummary = z.infer<typeof datasetSummarySchema>;

/** A record in a list: its value cut to a preview (records.get gives it whole). */
export const recordListItemSchema = z.object({
  key: z.string(),
  preview: z.string(),
  truncated: z.boolean(),
  valueBytes: z.number().int().nonnegative(),
  modifiedAt: z.number(),
  pending: z.boolean(),
  conflicted: z.boolean(),
  /** The name of the device that wrote it last ("… (this device)" for this one); always sent by this version. */
  modifiedBy: z.string().optional(),
});
export type RecordListItem = z.infer<typeof recordListItemSchema>;

export const recordSchema = z.object({
  key: z.string(),
  value: z.string(),
  modifiedAt: z.number(),
  pending: z.boolean(),
  conflicted: z.boolean(),
  /** Who wrote it last, as a list row says it ("… (this device)" for this one). */
  modifiedBy: z.string(),
  /** The device that wrote it last. */
  device: deviceViewSchema,
});
export type RecordView = z.infer<typeof recordSchema>;

const conflictSide = z.object({
  /** null: removed on that side. */
  value: z.string().nullable(),
  deviceLastModified: z.number(),
  /** Which device wrote it, by name: "<name> (this device)", "<name>", or "another device (1a2b3c4d)" when it never told one. */
  modifiedBy: z.string(),
  device: deviceViewSchema,
});

export const conflictSchema = z.object({
  dataset: z.string(),
  key: z.string(),
  mine: conflictSide,
  theirs: conflictSide,
  detectedAt: z.number(),
});
export type ConflictView = z.infer<typeof conflictSchema>;

export const syncStateSchema = z.enum(['synced', 'syncing', 'offline', 'pending', 'conflicts', 'error']);

/**
 * How far a sync has got, pulls and pushes apart: `done` of `total` records sent (the changes it found
 * to send), and `pulled` records received so far — how many a pull brings is known only when it ends.
 */
const syncProgressSchema = z.object({
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  pulled: z.number().int().nonnegative(),
});

export const syncStatusSchema = z.object({
  state: syncStateSchema,
  /** While syncing, over every dataset being synced. */
  progress: syncProgressSchema.optional(),
  /**
   * "N changes pending": what the next sync sends — records changed here that do not wait on a
   * conflict, plus one per dataset created or deleted here and not yet pushed. Conflicted records are
   * `conflicts`; the two together are session.unsyncedChanges' `total`.
   */
  pendingChanges: z.number().int().nonnegative(),
  conflicts: z.number().int().nonnegative(),
  error: appErrorViewSchema.optional(),
  lastSyncedAt: z.number().nullable(),
  /** The user's "Work offline" switch (kept per profile). */
  workOffline: z.boolean(),
  datasets: z.array(
    z.object({
      name: z.string(),
      state: syncStateSchema,
      progress: syncProgressSchema.optional(),
      error: appErrorViewSchema.optional(),
      /** Items of its cloud copy sync skipped as malformed: a sentence saying how many. */
      warning: z.string().optional(),
    }),
  ),
  /** Datasets in the cloud this device leaves alone (a name the app refuses, or a damaged header). */
  unsupported: z.array(z.object({ name: z.string(), reason: z.enum(['name', 'damaged']) })).optional(),
  /**
   * How changes made on the user's other devices arrive: `live` — push hints are subscribed, so
   * within a second; `polling` — they are set up but not connected now (connecting, down, refused),
   * so with the next 15 s check. Absent when the cloud profile has no Events API, and offline.
   */
  liveUpdates: z.enum(['live', 'polling']).optional(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

/**
 * What signing out with "remove this device's data" would lose: the unsynced changes, `total` =
 * `pending` (as sync.status counts them) + `conflicts` (records changed here that wait for the user).
 */
export const unsyncedChangesSchema = z.object({
  total: z.number().int().nonnegative(),
  pending: z.number().int().nonnegative(),
  conflicts: z.number().int().nonnegative(),
  /** Datasets with any; `changes` = pending + conflicts. */
  datasets: z.array(
    z.object({
      name: z.string(),
      changes: z.number().int().nonnegative(),
      pending: z.number().int().nonnegative(),
      conflicts: z.number().int().nonnegative(),
      deleted: z.boolean(),
    }),
  ),
});
export type UnsyncedChanges = z.infer<typeof unsyncedChangesSchema>;

const empty = z.object({}).strict();
const datasetInput = z.object({ dataset: datasetName }).strict();
const ok = z.object({ ok: z.literal(true) });

/**
 * What a write did. `changed` false: nothing was written and nothing will sync (a put of the value the
 * key holds, a remove of a key that holds nothing). `modifiedAt`: the write's time when it changed
 * something (what records.get and records.list then show); else the record's own time, or null when
 * the key holds nothing.
 */
export const writeResultSchema = z.object({ ok: z.literal(true), changed: z.boolean(), modifiedAt: z.number().nullable() });
export type WriteResult = z.infer<typeof writeResultSchema>;

/** What one sync did to a dataset (sync.now). */
export const datasetSyncReportSchema = z.object({
  name: z.string(),
  /** False: the one header Query showed nothing to do on either side, so it was not visited. */
  visited: z.boolean(),
  /** Records taken from the cloud (conflicts its policy settled included). */
  pulled: z.number().int().nonnegative(),
  /** Records sent to the cloud. */
  pushed: z.number().int().nonnegative(),
  /** Keys it found changed here and in the cloud that now wait for the user (the `manual` policy). */
  conflicts: z.number().int().nonnegative(),
  /** Malformed items of its cloud copy that were skipped. */
  skipped: z.number().int().nonnegative(),
  /** A delete or re-create on another device reached this copy: how many changes here it kept or dropped. */
  remoteReset: z
    .object({ kind: z.enum(['deleted', 'recreated']), keptDirty: z.number().int().nonnegative(), discardedDirty: z.number().int().nonnegative() })
    .optional(),
  /** Its sync failed (the rest went on); what it did before the failure is counted above. */
  error: appErrorViewSchema.optional(),
});
export type DatasetSyncReport = z.infer<typeof datasetSyncReportSchema>;

export const syncReportSchema = z.object({
  datasets: z.array(datasetSyncReportSchema),
  /** The sync could not run at all (OFFLINE, the header Query failed): no dataset was visited. */
  error: appErrorViewSchema.optional(),
});
export type SyncReportView = z.infer<typeof syncReportSchema>;

export const IMPORT_CHUNK_RECORDS = 500;
/** What an import does (or would do) to a dataset, key by key. */
export const importComparisonSchema = z.object({
  added: z.number().int().nonnegative(),
  replaced: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  /** The first replaced keys (at most 20), in key order. */
  replacedKeys: z.array(z.string()),
});
export type ImportComparison = z.infer<typeof importComparisonSchema>;

/** What the open imports of one identity may stage at once: UTF-8 bytes of keys and values, and imports. */
export const IMPORT_MAX_BYTES = 64 * 1024 * 1024;
export const IMPORT_MAX_OPEN = 4;

export const commands = {
  'app.cloud': { input: empty, output: cloudViewSchema },
  'session.get': { input: empty, output: sessionViewSchema },
  'session.signIn': {
    // anotherAccount: the IdP asks for a login even when its own session would sign the user in.
    input: z.object({ anotherAccount: z.boolean().optional() }).strict(),
    output: sessionViewSchema,
  },
  'session.cancelSignIn': { input: empty, output: sessionViewSchema },
  'session.signOut': {
    input: z.object({ removeLocalData: z.boolean() }).strict(),
    output: sessionViewSchema,
  },
  'session.unsyncedChanges': { input: empty, output: unsyncedChangesSchema },

  'datasets.list': { input: empty, output: z.array(datasetSummarySchema) },
  /** `created`: false when it existed already. */
  'datasets.openOrCreate': { input: datasetInput, output: datasetSummarySchema.extend({ created: z.boolean() }) },
  'datasets.get': { input: datasetInput, output: datasetSummarySchema },
  /** `modifiedAt`: when it was deleted here. */
  'datasets.delete': { input: datasetInput, output: writeResultSchema },
  /** `changed`: false when it was the policy already. */
  'datasets.setPolicy': {
    input: z.object({ dataset: datasetName, policy: conflictPolicySchema }).strict(),
    output: datasetSummarySchema.extend({ changed: z.boolean() }),
  },
  /** Starts an import: records arrive in chunks and are written in one transaction at commit. */
  'datasets.importBegin': { input: datasetInput, output: z.object({ importId: z.string() }) },
  'datasets.importChunk': {
    input: z
      .object({
        importId: z.string().max(64),
        records: z.array(z.object({ key: recordKey, value: recordValue }).strict()).max(IMPORT_CHUNK_RECORDS),
      })
      .strict(),
    output: z.object({ received: z.number().int().nonnegative() }),
  },
  /**
   * What committing the staged import would do to the dataset now: keys it adds, keys whose value
   * it replaces (the first 20 named, in key order), keys that already hold the same value.
   */
  'datasets.importPreview': { input: z.object({ importId: z.string().max(64) }).strict(), output: importComparisonSchema },
  /** Writes the staged import in one transaction; `imported` = added + replaced (unchanged keys are not written). */
  'datasets.importCommit': {
    input: z.object({ importId: z.string().max(64) }).strict(),
    output: importComparisonSchema.extend({ imported: z.number().int().nonnegative() }),
  },
  'datasets.importCancel': { input: z.object({ importId: z.string().max(64) }).strict(), output: ok },

  'records.list': {
    input: z
      .object({
        dataset: datasetName,
        /** Only keys that start with exactly this. */
        prefix: keyPrefix.optional(),
        cursor: cursor.optional(),
        /** Records skipped (after the cursor, in key order) before the page: any scroll position's page directly. */
        offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
        /** Also answer `total`: the records the filter matches, over all pages. */
        count: z.boolean().optional(),
        limit: z.number().int().min(1).max(RECORDS_PAGE_MAX).optional(),
        /** Whole values instead of previews (export). */
        full: z.boolean().optional(),
      })
      .strict(),
    /**
     * A page may hold fewer than `limit` records — it ends early at RECORDS_PAGE_BYTES — so read on
     * while nextCursor is not null.
     */
    output: z.object({ records: z.array(recordListItemSchema), nextCursor: z.string().nullable(), total: z.number().int().nonnegative().optional() }),
  },
  'records.get': { input: z.object({ dataset: datasetName, key: recordKey }).strict(), output: recordSchema.nullable() },
  'records.put': { input: z.object({ dataset: datasetName, key: recordKey, value: recordValue }).strict(), output: writeResultSchema },
  'records.remove': { input: z.object({ dataset: datasetName, key: recordKey }).strict(), output: writeResultSchema },

  /** The first open conflicts, up to RECORDS_PAGE_BYTES of values (the rest once those are resolved). */
  'conflicts.list': { input: z.object({ dataset: datasetName.optional() }).strict(), output: z.array(conflictSchema) },
  'conflicts.resolve': {
    input: z
      .object({
        dataset: datasetName,
        key: recordKey,
        resolution: z.union([
          z.object({ keep: z.literal('mine') }).strict(),
          z.object({ keep: z.literal('theirs') }).strict(),
          z.object({ value: recordValue }).strict(),
        ]),
      })
      .strict(),
    output: writeResultSchema,
  },

  'sync.status': { input: empty, output: syncStatusSchema },
  /** The status after the sync, and what the sync did (`report`). */
  'sync.now': { input: z.object({ dataset: datasetName.optional() }).strict(), output: syncStatusSchema.extend({ report: syncReportSchema }) },
  'sync.setWorkOffline': { input: z.object({ workOffline: z.boolean() }).strict(), output: syncStatusSchema },

  /** This device's ID and name (anyone may ask: it is the profile's, not a user's). */
  'device.get': { input: empty, output: thisDeviceSchema },
  /**
   * Names this device (LIMIT_DEVICE_NAME when the name cannot be one: see shared/device-name.ts); the
   * user's other devices show it after the next sync of each. `changed` false: it had that name.
   */
  'device.rename': {
    input: z.object({ name: z.string().max(1024) }).strict(),
    output: thisDeviceSchema.extend({ changed: z.boolean() }),
  },
} as const;

/**
 * What the application menu asks of the page (Electron only: the browser host has no menu). The same
 * commands as the page's keyboard shortcuts, named alike; the page reads `new` by where it is (a new
 * dataset in the list, a new record in a dataset). A menu accelerator fires only for a key press the
 * page left unhandled, or on a click, so one press never does the work twice.
 */
export const MENU_COMMANDS = ['new', 'find', 'syncNow'] as const;
export const menuCommandSchema = z.enum(MENU_COMMANDS);
export type MenuCommand = z.infer<typeof menuCommandSchema>;

export const events = {
  'session.changed': sessionViewSchema,
  /** Something the user should read once (e.g. KEYCHAIN_UNAVAILABLE); its severity comes from its code. */
  notice: appErrorViewSchema,
  /** The browser host cannot open a system browser: it asks the page to open the URL in a tab. */
  openExternal: z.object({ url: z.url({ protocol: /^https?$/ }) }),
  /** Datasets appeared, went, or changed (counts, policy): the list should be read again. */
  'datasets.changed': z.object({}),
  /** Records of one dataset changed, here or by a sync from another device. */
  'records.changed': z.object({ dataset: z.string(), origin: z.enum(['local', 'remote']) }),
  /** Conflicts of one dataset appeared or were resolved. */
  'conflicts.changed': z.object({ dataset: z.string() }),
  'sync.status': syncStatusSchema,
  /** The name of a device changed: this one's (device.rename), or another's that a sync brought. */
  'devices.changed': z.object({}),
  /** An application-menu item was chosen (or its accelerator pressed where the page did not act on it). */
  'menu.command': z.object({ command: menuCommandSchema }),
  /**
   * Electron only (Api.savesDownloads): a download the page started (an export) ended — saved where
   * the person chose (`fileName` is the name chosen), cancelled in the save dialog, or failed.
   */
  'download.done': z.object({ url: z.string(), fileName: z.string(), outcome: z.enum(['saved', 'cancelled', 'failed']) }),
} as const;

export type CommandName = keyof typeof commands;
export type CommandInput<C extends CommandName> = z.infer<(typeof commands)[C]['input']>;
export type CommandOutput<C extends CommandName> = z.infer<(typeof commands)[C]['output']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>;

/** Commands that read or change a signed-in user's data: each refuses with NOT_SIGNED_IN otherwise. */
export const SIGNED_IN_COMMANDS = [
  'session.unsyncedChanges',
  'datasets.list',
  'datasets.openOrCreate',
  'datasets.get',
  'datasets.delete',
  'datasets.setPolicy',
  'datasets.importBegin',
  'datasets.importChunk',
  'datasets.importPreview',
  'datasets.importCommit',
  'datasets.importCancel',
  'records.list',
  'records.get',
  'records.put',
  'records.remove',
  'conflicts.list',
  'conflicts.resolve',
  'sync.status',
  'sync.now',
  'sync.setWorkOffline',
] as const satisfies readonly CommandName[];

/** What a transport carries back for a command: a value, or a typed error — never a raw Error. */
export type CommandResult<C extends CommandName> =
  | { ok: true; value: CommandOutput<C> }
  | { ok: false; error: AppErrorView };

/** window.api in the renderer, whichever transport is underneath. */
export interface Api {
  call<C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandResult<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** The browser host's link to its host came or went (Electron's bridge cannot drop, so has none). */
  onConnectionChange?(listener: (connected: boolean) => void): () => void;
  /**
   * True under Electron: a download asks where to save it and ends with a download.done event, so
   * the page can tell "saved" from "cancelled". A browser saves downloads its own way and tells nothing.
   */
  savesDownloads?: boolean;
}

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && Object.hasOwn(commands, value);
}
