// The doctor's push check against localcloud's Events stand-in: it passes while the namespace runs
// the shipped handlers (own channel yes, another identity's and /sync/* no), fails — naming the
// handlers to install — once they let anyone in, fails when the user's own subscribe is refused,
// and is skipped for a profile without an Events API.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ChannelHandlers } from '../../../localcloud/appsync/handler-runtime';
import { startLocalCloud, type LocalCloud } from '../../../localcloud/start-local-cloud';
import type { AwsCredentials } from '../../../main/aws/cognito-credentials';
import { checkPush, NO_EVENTS_API } from '../../../main/doctor/push-check';
import { signInCloudUser } from '../../support/cloud-user';
import { profileFor } from '../../support/test-app';

let cloud: LocalCloud;
let anyoneIn = false;
// What a namespace without the code handlers (IAM alone) would allow: every signed-in identity, every channel.
const handlers = (shipped: () => ChannelHandlers): ChannelHandlers => ({
  onSubscribe: (identity, channel) => (anyoneIn ? { allowed: true, value: undefined } : shipped().onSubscribe(identity, channel)),
  onPublish: (identity, channel, events) => (anyoneIn ? { allowed: true, value: events } : shipped().onPublish(identity, channel, events)),
});
let credentials: AwsCredentials;
let root: string;
let close = () => undefined as void;

beforeAll(async () => {
  const { loadChannelHandlers } = await import('../../../localcloud/appsync/handler-runtime');
  let shipped: ChannelHandlers | undefined;
  cloud = await startLocalCloud({ inMemory: true, pushHandlers: handlers(() => (shipped ??= loadChannelHandlers({ identityPoolId: cloud.identityPoolId }))) });
  root = await mkdtemp(join(tmpdir(), 'push-check-'));
  const device = await (await signInCloudUser(cloud, root)).device();
  credentials = await device.credentials.get();
  close = () => device.close();
});
afterAll(async () => {
  close();
  await cloud?.stop();
  await rm(root, { recursive: true, force: true });
});

const withEvents = () => profileFor(cloud, { eventsHttpEndpoint: cloud.eventsHttpEndpoint, eventsRealtimeEndpoint: cloud.eventsRealtimeEndpoint });

test("passes when the user's own channel is open to them and another identity's and /sync/* are refused", async () => {
  const result = await checkPush(withEvents(), credentials);
  expect(result).toEqual({
    name: 'push',
    ok: true,
    detail: `subscribed to /sync/${credentials.identityId.split(':')[1]}; another identity's channel and /sync/* are refused: changes reach this user's devices within a second`,
  });
});

test('fails, naming the handlers to install, when the namespace lets anyone subscribe to any channel', async () => {
  anyoneIn = true;
  try {
    const result = await checkPush(withEvents(), credentials);
    expect(result).toMatchObject({ name: 'push', ok: false });
    expect('detail' in result && result.detail).toMatch(/could subscribe to \/sync\/[0-9a-f-]{36}: every signed-in user would hear .* infra\/appsync\/sync-channel-handlers\.js/);
  } finally {
    anyoneIn = false;
  }
});

test("fails, saying what the role needs, when the user's own subscribe is refused", async () => {
  cloud.setPushFaults({ refuseSubscriptions: true });
  try {
    const result = await checkPush(withEvents(), credentials);
    expect(result).toMatchObject({ name: 'push', ok: false });
    expect('detail' in result && result.detail).toMatch(/^subscribing to the user's own channel \/sync\/\S+ at ws:\/\/127\.0\.0\.1:\d+\/event\/realtime ended in UNAUTHORIZED.*appsync:EventConnect/);
  } finally {
    cloud.setPushFaults({});
  }
});

test('is skipped for a profile without an Events API: the app polls', async () => {
  expect(await checkPush(profileFor(cloud), credentials)).toEqual({ name: 'push', skipped: NO_EVENTS_API });
});
