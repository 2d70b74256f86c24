// The handlers of the `sync` channel namespace on the AppSync Events API (infra/README.md, "Push
// hints"). IAM can let the pool's signed-in identities into the whole namespace but no narrower,
// so these handlers do the rest: each identity may use one channel, /sync/<the uuid part of its
// identity ID>, and only hints of the shape of syncHintSchema (shared/sync-channel.ts) go through.
// infra/template.yaml inlines this file through Fn::Sub, which writes the stack's identity pool ID
// into IDENTITY_POOL_ID; localcloud/appsync/handler-runtime.ts writes the local pool's. So the file
// has no template literal: Fn::Sub would take its dollar-brace for a variable.
// APPSYNC_JS runs a subset of JavaScript (no try, throw, while, counting for, ++, in, regex or
// class), hence plain comparisons only.
import { util } from '@aws-appsync/utils';

const IDENTITY_POOL_ID = '${IdentityPool}';
const NAMESPACE = 'sync';
const NAME_MAX_CHARS = 128;
const MAX_SAFE_INTEGER = 9007199254740991;

// The uuid part of the caller's identity ID when the caller is a signed-in identity of this pool,
// else ''. An IAM user or role that is not a Cognito identity has no cognitoIdentityId.
function callerUuid(identity) {
  if (!identity || typeof identity.cognitoIdentityId !== 'string') {
    return '';
  }
  if (identity.cognitoIdentityPoolId !== IDENTITY_POOL_ID) {
    return '';
  }
  if (identity.cognitoIdentityAuthType !== 'authenticated') {
    return '';
  }
  const parts = identity.cognitoIdentityId.split(':');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
    return '';
  }
  return parts[1];
}

// Exact string comparisons of the segments: a wildcard, another identity's uuid, a change of case,
// an extra or an empty segment all make a different channel. The segments, not the path, since a
// publish over HTTP may name the channel with or without its leading slash.
function isCallersChannel(ctx) {
  const uuid = callerUuid(ctx.identity);
  const segments = ctx.info.channel.segments;
  return uuid !== '' && segments.length === 2 && segments[0] === NAMESPACE && segments[1] === uuid;
}

function isHintName(value) {
  return typeof value === 'string' && value.length >= 1 && value.length <= NAME_MAX_CHARS;
}

// {v: 1, ds, sc, dev} and no other key.
function isSyncHint(payload) {
  if (typeof payload !== 'object' || payload === null || Object.keys(payload).length !== 4) {
    return false;
  }
  const keys = ['v', 'ds', 'sc', 'dev'];
  if (!keys.every((key) => Object.hasOwn(payload, key))) {
    return false;
  }
  const sc = payload.sc;
  return (
    payload.v === 1 &&
    isHintName(payload.ds) &&
    isHintName(payload.dev) &&
    typeof sc === 'number' &&
    sc >= 1 &&
    sc <= MAX_SAFE_INTEGER &&
    sc % 1 === 0
  );
}

export function onSubscribe(ctx) {
  if (!isCallersChannel(ctx)) {
    util.unauthorized();
  }
}

// A publisher on a channel not its own is refused whole. On its own channel, an event that is not
// a hint is dropped and the others go on: one bad event need not silence the hints beside it, and
// whoever sent it could only have misled its own devices.
export function onPublish(ctx) {
  if (!isCallersChannel(ctx)) {
    util.unauthorized();
  }
  return ctx.events.filter((event) => isSyncHint(event.payload));
}
