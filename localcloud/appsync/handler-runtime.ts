// Runs the `sync` namespace's handlers in Node for the local stand-in of the AppSync Events API
// (events-endpoint.ts), so the local cloud authorises channels with the very file the stack
// deploys (infra/appsync/sync-channel-handlers.js), not with a copy that could drift from it.
// The file is an APPSYNC_JS module: its one import (`util` from @aws-appsync/utils) becomes a
// global of a fresh vm context holding a small shim, its `export function`s plain functions, and
// its identity pool placeholder the local pool's ID, as Fn::Sub writes the stack's in the cloud.
// Plain node:vm scripts run on Node 22, under vitest and under tsx with no flag, unlike vm modules.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { cloudProfileSchema } from '../../shared/cloud-profile';

/** The caller as AppSync describes one signed with AWS_IAM credentials of a Cognito identity. */
export interface ChannelIdentity {
  cognitoIdentityId: string;
  cognitoIdentityPoolId: string;
  cognitoIdentityAuthType: 'authenticated' | 'unauthenticated';
  accountId: string;
  userArn?: string;
  sourceIp?: string[];
}

/** What a handler decided: allowed (with what onPublish forwards), or refused and why. */
export type HandlerOutcome<T> = { allowed: true; value: T } | { allowed: false; reason: 'unauthorized' | 'error'; message: string };

export interface ChannelEvent {
  id: string;
  payload: unknown;
}

export interface ChannelHandlers {
  onSubscribe(identity: ChannelIdentity, channel: string): HandlerOutcome<void>;
  /** Allowed with the events to broadcast, which may be fewer than were published. */
  onPublish(identity: ChannelIdentity, channel: string, events: ChannelEvent[]): HandlerOutcome<ChannelEvent[]>;
}

export const HANDLERS_FILE = fileURLToPath(new URL('../../infra/appsync/sync-channel-handlers.js', import.meta.url));

/** The text infra/template.yaml's Fn::Sub replaces with the stack's identity pool ID. */
export const IDENTITY_POOL_PLACEHOLDER = '${IdentityPool}';

const UTIL_IMPORT = "import { util } from '@aws-appsync/utils';";
const EXPORTED_FUNCTION = /^export function (onSubscribe|onPublish)\(/;

/** Thrown by the shim's util.unauthorized() and util.error(), which end a handler in AppSync too. */
class HandlerStop extends Error {
  constructor(
    readonly reason: 'unauthorized' | 'error',
    message: string,
  ) {
    super(message);
  }
}

const utilShim = Object.freeze({
  unauthorized(): never {
    throw new HandlerStop('unauthorized', 'Unauthorized');
  },
  error(message: unknown): never {
    throw new HandlerStop('error', String(message));
  },
});

/** The handlers of infra/appsync/sync-channel-handlers.js, for the local pool `identityPoolId`. */
export function loadChannelHandlers(options: { identityPoolId: string }): ChannelHandlers {
  return compileChannelHandlers(readFileSync(HANDLERS_FILE, 'utf8'), options);
}

/** The same for a given handler file's text (a test can hand it one it would refuse). */
export function compileChannelHandlers(source: string, options: { identityPoolId: string }): ChannelHandlers {
  // The ID lands inside a quoted string of the script, so it must be an ID and nothing more.
  if (!cloudProfileSchema.shape.identityPoolId.safeParse(options.identityPoolId).success) {
    throw new Error(`"${options.identityPoolId}" is not an identity pool ID (region:uuid).`);
  }
  if (!source.includes(IDENTITY_POOL_PLACEHOLDER)) {
    throw new Error(`The handler file has no ${IDENTITY_POOL_PLACEHOLDER} placeholder, so it cannot know the identity pool.`);
  }
  const script = asScript(source.split(IDENTITY_POOL_PLACEHOLDER).join(options.identityPoolId));
  const exported = runInNewContext(`'use strict';${script}\n;({ onSubscribe, onPublish });`, { util: utilShim }, { filename: HANDLERS_FILE }) as {
    onSubscribe: (ctx: unknown) => unknown;
    onPublish: (ctx: unknown) => unknown;
  };

  return {
    onSubscribe(identity, channel) {
      const outcome = run(() => exported.onSubscribe(contextOf(identity, channel, 'SUBSCRIBE')));
      return outcome.allowed ? { allowed: true, value: undefined } : outcome;
    },
    onPublish(identity, channel, events) {
      const outcome = run(() => exported.onPublish({ ...contextOf(identity, channel, 'PUBLISH'), events }));
      return outcome.allowed ? forwardedEvents(outcome.value) : outcome;
    },
  };
}

/**
 * The module as a script: the util import dropped (the shim is a global), `export function`
 * made `function`. Any other import or export is refused, since the shim would not stand in for it.
 * Each line keeps its number, so a stack trace points at the file's own line.
 */
function asScript(source: string): string {
  let imports = 0;
  const exported = new Set<string>();
  const lines = source.split('\n').map((line, index) => {
    if (line.trim() === UTIL_IMPORT) {
      imports += 1;
      return '';
    }
    const name = EXPORTED_FUNCTION.exec(line)?.[1];
    if (name !== undefined) {
      exported.add(name);
      return line.slice('export '.length);
    }
    if (/^\s*(import|export)\b/.test(line)) {
      throw new Error(`Line ${index + 1} of the handler file is an import or export the local runtime does not support: ${line.trim()}`);
    }
    return line;
  });
  if (imports !== 1) throw new Error(`The handler file must import util from @aws-appsync/utils exactly once (as "${UTIL_IMPORT}").`);
  if (exported.size !== 2) throw new Error('The handler file must export both onSubscribe and onPublish as functions.');
  return lines.join('\n');
}

function contextOf(identity: ChannelIdentity, channel: string, operation: 'SUBSCRIBE' | 'PUBLISH') {
  // /sync/abc is ['sync', 'abc'], and so is sync/abc: AppSync's own HTTP example names a channel
  // without the leading slash, its handler contexts show the path with it.
  const segments = (channel.startsWith('/') ? channel.slice(1) : channel).split('/');
  return {
    identity,
    info: { channel: { path: `/${segments.join('/')}`, segments }, channelNamespace: { name: segments[0] ?? '' }, operation },
    request: { headers: {}, domainName: null },
    stash: {},
  };
}

function run(handler: () => unknown): HandlerOutcome<unknown> {
  try {
    return { allowed: true, value: handler() };
  } catch (thrown) {
    if (thrown instanceof HandlerStop) return { allowed: false, reason: thrown.reason, message: thrown.message };
    // A mistake in the handler (a TypeError from the vm's realm, say) refuses, as AppSync would.
    const message = typeof thrown === 'object' && thrown !== null && 'message' in thrown ? String(thrown.message) : String(thrown);
    return { allowed: false, reason: 'error', message };
  }
}

/** onPublish's answer as events of this realm; null, like an empty list, forwards nothing. */
function forwardedEvents(value: unknown): HandlerOutcome<ChannelEvent[]> {
  if (value === null) return { allowed: true, value: [] };
  if (!Array.isArray(value)) return { allowed: false, reason: 'error', message: 'onPublish returned something other than a list of events.' };
  const events: ChannelEvent[] = [];
  for (const event of value as unknown[]) {
    if (typeof event !== 'object' || event === null || typeof (event as { id?: unknown }).id !== 'string') {
      return { allowed: false, reason: 'error', message: 'onPublish returned an event without a string id.' };
    }
    const { id, payload } = event as { id: string; payload?: unknown };
    events.push({ id, payload });
  }
  return { allowed: true, value: events };
}
