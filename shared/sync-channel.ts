// Where an identity's push hints travel and what one says (infra/README.md, "Push hints").
// Each Cognito identity has one channel on the AppSync Events API, /sync/<the uuid part of its
// identity ID>; the namespace's handlers (infra/appsync/sync-channel-handlers.js) let only that
// identity subscribe or publish there and forward only hints of this shape, so the same rules are
// written twice: here for the app, there for AppSync. Change them together.
import { z } from 'zod';

/** The channel namespace of the Events API that carries push hints. */
export const SYNC_NAMESPACE = 'sync';

/** Characters a hint's dataset name or device ID holds at most (the handlers check the same). */
export const SYNC_HINT_NAME_MAX_CHARS = 128;

/**
 * The channel of an identity, `/sync/<uuid>` for an identity ID `<region>:<uuid>`. Throws for an
 * identity ID with no uuid after its colon, since no channel could be named for it.
 */
export function syncChannelOf(identityId: string): string {
  const parts = identityId.split(':');
  const [region, uuid] = parts;
  if (parts.length !== 2 || !region || !uuid) {
    throw new Error(`"${identityId}" is not a Cognito identity ID (region:uuid), so it has no sync channel.`);
  }
  return `/${SYNC_NAMESPACE}/${uuid}`;
}

const hintName = z.string().min(1).max(SYNC_HINT_NAME_MAX_CHARS);

/**
 * A push hint, published after each commit: dataset `ds` reached sync count `sc` on device `dev`.
 * Version 1; a receiver ignores anything else (a newer version, or a stranger's shape).
 */
export const syncHintSchema = z.strictObject({
  v: z.literal(1),
  ds: hintName,
  // zod's int() holds to safe integers, as the handler's check does.
  sc: z.number().int().min(1),
  dev: hintName,
});

export type SyncHint = z.infer<typeof syncHintSchema>;
