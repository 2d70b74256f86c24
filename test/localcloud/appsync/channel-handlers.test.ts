// The `sync` namespace's handlers (infra/appsync/sync-channel-handlers.js), run through the local
// runtime exactly as the stand-in Events endpoint runs them: who may subscribe and publish where,
// one row per case, and which published events go on to subscribers.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  HANDLERS_FILE,
  compileChannelHandlers,
  loadChannelHandlers,
  type ChannelIdentity,
} from '../../../localcloud/appsync/handler-runtime';
import { SYNC_HINT_NAME_MAX_CHARS, syncChannelOf, syncHintSchema } from '../../../shared/sync-channel';

const POOL = 'us-east-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const UUID = 'a1b2c3d4-e5f6-4789-8abc-def012345678';
const OTHER_UUID = 'b2c3d4e5-f6a7-4890-9bcd-ef0123456789';
const handlers = loadChannelHandlers({ identityPoolId: POOL });

const signedIn: ChannelIdentity = {
  cognitoIdentityId: `us-east-1:${UUID}`,
  cognitoIdentityPoolId: POOL,
  cognitoIdentityAuthType: 'authenticated',
  accountId: '123456789012',
  userArn: 'arn:aws:sts::123456789012:assumed-role/Cognito_Auth_Role/CognitoIdentityCredentials',
  sourceIp: ['127.0.0.1'],
};
const own = syncChannelOf(signedIn.cognitoIdentityId);
const hint = { v: 1, ds: 'notes', sc: 42, dev: 'device-1' };

// Shapes AppSync can hand a handler that the runtime's type does not describe.
const oddly = (identity: unknown) => identity as ChannelIdentity;

const ROWS: [name: string, identity: ChannelIdentity, channel: string, allowed: boolean][] = [
  ["a signed-in identity on its own channel", signedIn, own, true],
  ["another identity's channel", signedIn, `/sync/${OTHER_UUID}`, false],
  ['every channel of the namespace (/sync/*)', signedIn, '/sync/*', false],
  ['every channel below the namespace (/sync/**)', signedIn, '/sync/**', false],
  ['the namespace alone', signedIn, '/sync', false],
  ['an empty last segment', signedIn, '/sync/', false],
  ['an empty segment before the uuid', signedIn, `/sync//${UUID}`, false],
  ['a channel below its own', signedIn, `/sync/${UUID}/extra`, false],
  ['its uuid in another namespace', signedIn, `/other/${UUID}`, false],
  ['the namespace in capitals', signedIn, `/SYNC/${UUID}`, false],
  ['its uuid in capitals', signedIn, `/sync/${UUID.toUpperCase()}`, false],
  ['its uuid with a trailing space', signedIn, `/sync/${UUID} `, false],
  ['its own channel named without the leading slash', signedIn, `sync/${UUID}`, true],
  ['a trailing slash after its uuid', signedIn, `/sync/${UUID}/`, false],
  ['an unauthenticated (guest) identity', { ...signedIn, cognitoIdentityAuthType: 'unauthenticated' }, own, false],
  ["an identity of another pool", { ...signedIn, cognitoIdentityPoolId: 'us-east-1:11111111-2222-4333-8444-555555555555' }, own, false],
  ['no identity at all', oddly(null), own, false],
  [
    'an IAM user, not a Cognito identity (no cognitoIdentityId)',
    oddly({ accountId: '123456789012', userArn: 'arn:aws:iam::123456789012:user/someone', cognitoIdentityId: null, cognitoIdentityPoolId: null, cognitoIdentityAuthType: null }),
    own,
    false,
  ],
  ['an identity ID with no region before the uuid', { ...signedIn, cognitoIdentityId: UUID }, own, false],
  ['an identity ID with more than one colon', { ...signedIn, cognitoIdentityId: `us-east-1:${UUID}:x` }, own, false],
];

describe('who may subscribe to and publish on a channel of the sync namespace', () => {
  test.each(ROWS)('%s: subscribe allowed = %s', (_name, identity, channel, allowed) => {
    const outcome = handlers.onSubscribe(identity, channel);
    expect(outcome).toEqual(allowed ? { allowed: true, value: undefined } : { allowed: false, reason: 'unauthorized', message: 'Unauthorized' });
  });

  test.each(ROWS)('%s: publish allowed = %s', (_name, identity, channel, allowed) => {
    const outcome = handlers.onPublish(identity, channel, [{ id: 'e1', payload: hint }]);
    expect(outcome).toEqual(
      allowed ? { allowed: true, value: [{ id: 'e1', payload: hint }] } : { allowed: false, reason: 'unauthorized', message: 'Unauthorized' },
    );
  });

  test('a publisher on a channel not its own is refused whole, its valid hints included', () => {
    const events = [1, 2, 3].map((sc) => ({ id: `e${sc}`, payload: { ...hint, sc } }));
    expect(handlers.onPublish(signedIn, `/sync/${OTHER_UUID}`, events).allowed).toBe(false);
  });
});

const long = 'x'.repeat(SYNC_HINT_NAME_MAX_CHARS);
const PAYLOADS: [name: string, payload: unknown, forwarded: boolean][] = [
  ['a hint', hint, true],
  ['names of the longest length', { ...hint, ds: long, dev: long }, true],
  ['the largest safe sync count', { ...hint, sc: Number.MAX_SAFE_INTEGER }, true],
  ['sync count 1', { ...hint, sc: 1 }, true],
  ['a dataset name one character too long', { ...hint, ds: `${long}x` }, false],
  ['a device ID one character too long', { ...hint, dev: `${long}x` }, false],
  ['an empty dataset name', { ...hint, ds: '' }, false],
  ['an empty device ID', { ...hint, dev: '' }, false],
  ['a dataset name that is a number', { ...hint, ds: 7 }, false],
  ['sync count 0', { ...hint, sc: 0 }, false],
  ['a negative sync count', { ...hint, sc: -1 }, false],
  ['a fractional sync count', { ...hint, sc: 1.5 }, false],
  ['a sync count past the safe integers', { ...hint, sc: 2 ** 53 }, false],
  ['an infinite sync count', { ...hint, sc: Infinity }, false],
  ['a sync count that is not a number', { ...hint, sc: Number.NaN }, false],
  ['a sync count written as text', { ...hint, sc: '42' }, false],
  ['version 2', { ...hint, v: 2 }, false],
  ['version "1" as text', { ...hint, v: '1' }, false],
  ['an extra key', { ...hint, extra: true }, false],
  ['a missing key', { v: 1, ds: 'notes', sc: 42 }, false],
  ['four keys, one of them foreign', { v: 1, ds: 'notes', sc: 42, devs: 'device-1' }, false],
  ['null', null, false],
  ['a list', [1, 'notes', 42, 'device-1'], false],
  ['text', JSON.stringify(hint), false],
  ['a number', 42, false],
];

describe('what a publisher on its own channel gets through to subscribers', () => {
  test.each(PAYLOADS)('%s: forwarded = %s, as syncHintSchema says', (_name, payload, forwarded) => {
    const outcome = handlers.onPublish(signedIn, own, [{ id: 'e1', payload }]);
    expect(outcome).toEqual({ allowed: true, value: forwarded ? [{ id: 'e1', payload }] : [] });
    // The app's schema and the handler agree on every row: a hint one accepts the other forwards.
    expect(syncHintSchema.safeParse(payload).success).toBe(forwarded);
  });

  test('malformed events are dropped and the hints beside them go on, in order and with their IDs', () => {
    const events = [
      { id: 'a', payload: hint },
      { id: 'b', payload: { ...hint, sc: 0 } },
      { id: 'c', payload: { ...hint, sc: 43 } },
      { id: 'd', payload: 'noise' },
    ];
    expect(handlers.onPublish(signedIn, own, events)).toEqual({
      allowed: true,
      value: [
        { id: 'a', payload: hint },
        { id: 'c', payload: { ...hint, sc: 43 } },
      ],
    });
  });

  test('an empty batch forwards nothing', () => {
    expect(handlers.onPublish(signedIn, own, [])).toEqual({ allowed: true, value: [] });
  });
});

describe('the local handler runtime', () => {
  const source = readFileSync(HANDLERS_FILE, 'utf8');

  test('the handlers know the pool they are loaded for, and no other', () => {
    const otherPool = 'eu-west-1:99999999-8888-4777-8666-555555555555';
    const forOtherPool = loadChannelHandlers({ identityPoolId: otherPool });
    expect(forOtherPool.onSubscribe(signedIn, own).allowed).toBe(false);
    expect(forOtherPool.onSubscribe({ ...signedIn, cognitoIdentityPoolId: otherPool }, own).allowed).toBe(true);
  });

  test('a pool ID that is not one is refused, since it is written into the script', () => {
    expect(() => loadChannelHandlers({ identityPoolId: "us-east-1:x'; util.unauthorized = 0; '" })).toThrow(/not an identity pool ID/);
    expect(() => loadChannelHandlers({ identityPoolId: '' })).toThrow(/not an identity pool ID/);
  });

  test('a handler file the shim could not stand in for is refused when loaded', () => {
    const options = { identityPoolId: POOL };
    expect(() => compileChannelHandlers(source.replace("import { util } from '@aws-appsync/utils';", ''), options)).toThrow(/import util/);
    expect(() => compileChannelHandlers(`import * as ddb from '@aws-appsync/utils/dynamodb';\n${source}`, options)).toThrow(/Line 1 .* import or export/);
    expect(() => compileChannelHandlers(source.replace('export function onPublish', 'function onPublish'), options)).toThrow(/export both/);
    expect(() => compileChannelHandlers(source.replace("'${IdentityPool}'", "'us-east-1:0'"), options)).toThrow(/placeholder/);
  });

  test('util.error and a mistake in a handler refuse with reason "error"; a bad answer from onPublish too', () => {
    const options = { identityPoolId: POOL };
    const replaced = (from: string, to: string) => compileChannelHandlers(source.replace(from, to), options);
    const failing = replaced('export function onSubscribe(ctx) {', "export function onSubscribe(ctx) {\n  util.error('closed for maintenance');");
    expect(failing.onSubscribe(signedIn, own)).toEqual({ allowed: false, reason: 'error', message: 'closed for maintenance' });
    const broken = replaced('export function onSubscribe(ctx) {', 'export function onSubscribe(ctx) {\n  ctx.nothing.here;');
    expect(broken.onSubscribe(signedIn, own)).toMatchObject({ allowed: false, reason: 'error' });
    const answersWrong = replaced('return ctx.events.filter(', "return 'all';\n  ctx.events.filter(");
    expect(answersWrong.onPublish(signedIn, own, [{ id: 'e1', payload: hint }])).toMatchObject({ allowed: false, reason: 'error' });
  });
});

describe('the handler file stays within APPSYNC_JS', () => {
  // Node runs more JavaScript than AppSync does, so a test passing here proves nothing about a
  // feature AppSync lacks. Comments and string literals are set aside; the rest is checked for the
  // statements and operators the runtime refuses (its "Supported runtime features" page).
  const source = readFileSync(HANDLERS_FILE, 'utf8');
  const code = source
    .split('\n')
    .map((line) => line.replace(/'[^'\\\n]*'/g, "''").replace(/\/\/.*$/, ''))
    .join('\n');

  test('no try, throw, while, class, async, this, new, in, continue or counting for', () => {
    const words = code.match(/\b(try|catch|finally|throw|while|do|class|async|await|yield|this|new|instanceof|in|continue|for)\b/g);
    expect(words).toBeNull();
  });

  test('no ++, -- or ~, no regex or block comment, no template literal, no double-quoted string', () => {
    expect(code).not.toMatch(/\+\+|--|~/);
    expect(code).not.toContain('/');
    expect(code).not.toContain('`');
    expect(code).not.toContain('"');
  });

  test('the only dollar-brace is the identity pool placeholder, which Fn::Sub and the runtime fill in', () => {
    expect(source.match(/\$\{[^}]*\}/g)).toEqual(['${IdentityPool}']);
  });
});
