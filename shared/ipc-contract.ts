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

// Names, keys and values are checked against the dataset limits by the store (LIMIT_* codes with a
// sentence); the bounds here only keep absurd input from reaching it.
const datasetName = z.string().min(1).max(1024);
const recordKey = z.string().min(1).max(1024);
const recordValue = z.string().max(512 * 1024);
const cursor = z.string().max(2048);

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
export const recordRowSchema = z.object({
  key: z.string(),
  preview: z.string(),
  truncated: z.boolean(),
  valueBytes: z.number().int().nonnegative(),
  modifiedAt: z.number(),
  pending: z.boolean(),
  conflicted: z.boolean(),
});
export type RecordRow = z.infer<typeof recordRowSchema>;

export const recordSchema = z.object({
  key: z.string(),
  value: z.string(),
  modifiedAt: z.number(),
  pending: z.boolean(),
  conflicted: z.boolean(),
});
export type RecordView = z.infer<typeof recordSchema>;

const conflictSide = z.object({
  /** null: removed on that side. */
  value: z.string().nullable(),
  deviceLastModified: z.number(),
  /** Which device wrote it: `this device` or a short device label. */
  modifiedBy: z.string(),
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

export const syncStatusSchema = z.object({
  state: syncStateSchema,
  /** While syncing: records done of total (total 0 when not known yet). */
  progress: z.object({ done: z.number().int().nonnegative(), total: z.number().int().nonnegative() }).optional(),
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
      progress: z.object({ done: z.number().int().nonnegative(), total: z.number().int().nonnegative() }).optional(),
      error: appErrorViewSchema.optional(),
    }),
  ),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

export const unsyncedChangesSchema = z.object({
  total: z.number().int().nonnegative(),
  datasets: z.array(z.object({ name: z.string(), changes: z.number().int().nonnegative(), deleted: z.boolean() })),
});
export type UnsyncedChanges = z.infer<typeof unsyncedChangesSchema>;

const empty = z.object({}).strict();
const datasetInput = z.object({ dataset: datasetName }).strict();
const ok = z.object({ ok: z.literal(true) });

export const IMPORT_CHUNK_RECORDS = 500;

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
  'datasets.openOrCreate': { input: datasetInput, output: datasetSummarySchema },
  'datasets.get': { input: datasetInput, output: datasetSummarySchema },
  'datasets.delete': { input: datasetInput, output: ok },
  'datasets.setPolicy': { input: z.object({ dataset: datasetName, policy: conflictPolicySchema }).strict(), output: datasetSummarySchema },
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
  'datasets.importCommit': { input: z.object({ importId: z.string().max(64) }).strict(), output: z.object({ imported: z.number().int().nonnegative() }) },
  'datasets.importCancel': { input: z.object({ importId: z.string().max(64) }).strict(), output: ok },

  'records.list': {
    input: z
      .object({
        dataset: datasetName,
        prefix: z.string().max(1024).optional(),
        cursor: cursor.optional(),
        limit: z.number().int().min(1).max(1000).optional(),
        /** Whole values instead of previews (export); keep `limit` small then. */
        full: z.boolean().optional(),
      })
      .strict(),
    output: z.object({ records: z.array(recordRowSchema), nextCursor: z.string().nullable() }),
  },
  'records.get': { input: z.object({ dataset: datasetName, key: recordKey }).strict(), output: recordSchema.nullable() },
  'records.put': { input: z.object({ dataset: datasetName, key: recordKey, value: recordValue }).strict(), output: ok },
  'records.remove': { input: z.object({ dataset: datasetName, key: recordKey }).strict(), output: ok },

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
    output: ok,
  },

  'sync.status': { input: empty, output: syncStatusSchema },
  'sync.now': { input: z.object({ dataset: datasetName.optional() }).strict(), output: syncStatusSchema },
  'sync.setWorkOffline': { input: z.object({ workOffline: z.boolean() }).strict(), output: syncStatusSchema },
} as const;

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
}

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && Object.hasOwn(commands, value);
}
