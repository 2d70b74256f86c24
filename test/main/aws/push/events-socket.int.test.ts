// The push channel against the local AppSync Events stand-in, signed with the Cognito emulator's
// real credentials for demo users: a device hears the other devices of its user within moments,
// no one else can use the channel, and the channel picks itself up after every kind of failure.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../../localcloud/start-local-cloud';
import { createPushChannel } from '../../../../main/aws/push/events-socket';
import type { PushChannel, PushChannelOptions, PushState } from '../../../../main/aws/push/push-channel';
import { syncChannelOf } from '../../../../shared/sync-channel';
import { failure } from '../../../support/app-error';
import { signInCloudUser, type CloudDevice } from '../../../support/cloud-user';

let root: string;
let cloud: LocalCloud;
let alice: CloudDevice;
let alicePhone: CloudDevice;
let bob: CloudDevice;
const open: PushChannel[] = [];

// The stand-in sends ka every 400 ms and announces a 2 s connection timeout, so a silent link is
// noticed within seconds instead of five minutes; not less, so that a loaded machine's stalls never
// hold a live link dead (its reconnect would add to the counts below).
const CONNECTION_TIMEOUT_MS = 2_000;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'push-channel-int-'));
  cloud = await startLocalCloud({ inMemory: true, pushKeepAlive: { keepAliveIntervalMs: 400, connectionTimeoutMs: CONNECTION_TIMEOUT_MS } });
  const aliceUser = await signInCloudUser(cloud, root, 0);
  [alice, alicePhone, bob] = await Promise.all([aliceUser.device(), aliceUser.device(), signInCloudUser(cloud, root, 1).then((user) => user.device())]);
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((channel) => channel.stop()));
  cloud.setPushFaults({});
});

afterAll(async () => {
  for (const device of [alice, alicePhone, bob]) device?.close();
  await cloud?.stop();
  await rm(root, { recursive: true, force: true });
});

interface Watched {
  channel: PushChannel;
  events: string[];
  states: { state: PushState; code?: string }[];
}

/** A push channel of `device` (on its own channel unless told otherwise), started unless told not to. */
function channelOf(device: CloudDevice, overrides: Partial<PushChannelOptions> & { start?: boolean } = {}): Watched {
  const { start = true, ...options } = overrides;
  const watched: Watched = { events: [], states: [], channel: undefined as unknown as PushChannel };
  watched.channel = createPushChannel({
    realtimeEndpoint: cloud.eventsRealtimeEndpoint,
    httpEndpoint: cloud.eventsHttpEndpoint,
    region: cloud.region,
    channel: syncChannelOf(device.identityId),
    credentials: device.credentials.provider,
    onEvent: (event) => watched.events.push(event),
    onState: (state, detail) => watched.states.push({ state, code: detail?.code }),
    backoff: { firstMs: 50, maxMs: 400 },
    ...options,
  });
  open.push(watched.channel);
  if (start) watched.channel.start();
  return watched;
}

const subscribed = (watched: Watched) => expect.poll(() => watched.channel.state(), { timeout: 10_000 }).toBe('subscribed');
const downCodes = (watched: Watched) => watched.states.filter((each) => each.state === 'down').map((each) => each.code);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let syncCount = 0;
/** A push hint, the only payload the sync namespace's handlers let through. */
const hint = (dataset = 'notes') => JSON.stringify({ v: 1, ds: dataset, sc: (syncCount += 1), dev: 'laptop' });

describe('a device and the other devices of its user', () => {
  test('a device subscribes its own channel and hears what another device publishes, over the socket and by HTTP', async () => {
    const laptop = channelOf(alice);
    const phone = channelOf(alicePhone);
    await subscribed(laptop);
    await subscribed(phone);
    expect(laptop.states.map((each) => each.state)).toEqual(['connecting', 'subscribed']);

    const overSocket = hint();
    await phone.channel.publish(overSocket);
    await expect.poll(() => laptop.events, { timeout: 2_000 }).toContain(overSocket);
    // AppSync delivers to every subscription of the channel, the publisher's own included.
    await expect.poll(() => phone.events).toContain(overSocket);

    // A device that is not subscribed (offline a moment ago, say) still publishes: by signed HTTP POST.
    const idle = channelOf(alicePhone, { start: false });
    const overHttp = hint();
    await idle.channel.publish(overHttp);
    await expect.poll(() => laptop.events, { timeout: 2_000 }).toContain(overHttp);
    expect(JSON.parse(laptop.events.at(-1)!)).toEqual(JSON.parse(overHttp));
  });

  test('what is not a hint is dropped on the way, and the publish still succeeds', async () => {
    const laptop = channelOf(alice);
    const phone = channelOf(alicePhone);
    await subscribed(laptop);
    await subscribed(phone);
    await phone.channel.publish(JSON.stringify({ hello: 'world' }));
    const after = hint();
    await phone.channel.publish(after);
    await expect.poll(() => laptop.events, { timeout: 2_000 }).toContain(after);
    expect(laptop.events).toEqual([after]);
  });

  test('the stand-in counts what each identity did', async () => {
    cloud.resetPushCounts();
    const laptop = channelOf(alice);
    await subscribed(laptop);
    await laptop.channel.publish(hint());
    await expect.poll(() => cloud.pushCounts()[alice.identityId]).toEqual({ connects: 1, subscribes: 1, publishes: 1, deliveries: 1 });
  });
});

describe('a channel is its identity’s alone', () => {
  test('another identity can neither subscribe to the channel nor publish on it', async () => {
    const intruder = channelOf(bob, { channel: syncChannelOf(alice.identityId) });
    await expect.poll(() => downCodes(intruder), { timeout: 5_000 }).toContain('UNAUTHORIZED');
    expect(intruder.states.map((each) => each.state)).not.toContain('subscribed');

    const refused = await failure(intruder.channel.publish(hint()));
    expect(refused.code).toBe('ACCESS_DENIED');
    expect(refused.message).toContain('Unauthorized');

    const laptop = channelOf(alice);
    await subscribed(laptop);
    // Bob is connected (his connect is valid) but his own channel is the only one he may use.
    await expect(failure(intruder.channel.publish(hint()))).resolves.toMatchObject({ code: 'ACCESS_DENIED' });
    expect(laptop.events).toEqual([]);
  });

  test('a wildcard subscription to every identity’s channel is refused', async () => {
    const everyone = channelOf(bob, { channel: '/sync/*' });
    await expect.poll(() => downCodes(everyone), { timeout: 5_000 }).toContain('UNAUTHORIZED');
    expect(everyone.channel.state()).not.toBe('subscribed');
  });

  test('a signature whose date is too old is refused as a clock problem, for the connect and for a publish', async () => {
    const skewed = channelOf(alice, { now: () => Date.now() - 10 * 60 * 1000 });
    await expect.poll(() => downCodes(skewed), { timeout: 5_000 }).toContain('CLOCK_SKEW');
    expect(skewed.channel.state()).not.toBe('subscribed');
    await expect(failure(skewed.channel.publish(hint()))).resolves.toMatchObject({ code: 'CLOCK_SKEW' });
  });

  test('credentials Cognito never issued are refused', async () => {
    const real = await alice.credentials.provider();
    const forged = channelOf(alice, { credentials: async () => ({ ...real, accessKeyId: 'ASIAFORGED0000000000' }) });
    await expect.poll(() => downCodes(forged), { timeout: 5_000 }).toContain('UNAUTHORIZED');
    await expect(failure(forged.channel.publish(hint()))).resolves.toMatchObject({ code: 'ACCESS_DENIED' });
    const wrongSecret = channelOf(alice, { credentials: async () => ({ ...real, secretAccessKey: otherLastCharacter(real.secretAccessKey) }) });
    await expect.poll(() => downCodes(wrongSecret), { timeout: 5_000 }).toContain('UNAUTHORIZED');
  });
});

/** `text` with its last character changed: always another text (a secret ending in "x" stays itself under a plain "x"). */
function otherLastCharacter(text: string): string {
  return `${text.slice(0, -1)}${text.endsWith('x') ? 'y' : 'x'}`;
}

describe('the channel picks itself up', () => {
  test('when the service closes the socket, the channel goes down and subscribes again by itself', async () => {
    const laptop = channelOf(alice);
    const phone = channelOf(alicePhone);
    await subscribed(laptop);
    await subscribed(phone);
    cloud.closePushSockets();
    await expect.poll(() => downCodes(laptop), { timeout: 2_000 }).toContain('CONNECTION_CLOSED');
    await subscribed(laptop);
    await subscribed(phone);
    const after = hint();
    await phone.channel.publish(after);
    await expect.poll(() => laptop.events, { timeout: 2_000 }).toContain(after);
  });

  test('when keep-alives stop, the channel notices within the announced timeout and reconnects', async () => {
    const laptop = channelOf(alice);
    await subscribed(laptop);
    cloud.setPushFaults({ silenceKeepAlives: true });
    const silencedAt = Date.now();
    await expect.poll(() => downCodes(laptop), { timeout: 10_000 }).toContain('KEEP_ALIVE_TIMEOUT');
    expect(Date.now() - silencedAt).toBeLessThan(CONNECTION_TIMEOUT_MS + 3_000);
    cloud.setPushFaults({});
    await subscribed(laptop);
    // Subscribed for good: keep-alives flow again, so the link outlives the timeout.
    await sleep(CONNECTION_TIMEOUT_MS * 2);
    expect(laptop.channel.state()).toBe('subscribed');
  });

  test('lost deliveries are lost: the publish succeeds and nothing arrives', async () => {
    const laptop = channelOf(alice);
    const phone = channelOf(alicePhone);
    await subscribed(laptop);
    await subscribed(phone);
    cloud.setPushFaults({ dropRate: 1 });
    await phone.channel.publish(hint());
    await sleep(300);
    expect(laptop.events).toEqual([]);
    cloud.setPushFaults({});
    const after = hint();
    await phone.channel.publish(after);
    await expect.poll(() => laptop.events, { timeout: 2_000 }).toEqual([after]);
  });

  test('refused subscriptions keep the channel down, and it subscribes once they are allowed again', async () => {
    cloud.setPushFaults({ refuseSubscriptions: true });
    const laptop = channelOf(alice);
    await expect.poll(() => downCodes(laptop), { timeout: 5_000 }).toContain('UNAUTHORIZED');
    await sleep(500);
    expect(laptop.channel.state()).not.toBe('subscribed');
    cloud.setPushFaults({});
    await subscribed(laptop);
  });

  test('stop() unsubscribes and closes: nothing more arrives, and publish refuses', async () => {
    const laptop = channelOf(alice);
    const phone = channelOf(alicePhone);
    await subscribed(laptop);
    await subscribed(phone);
    await laptop.channel.stop();
    expect(laptop.channel.state()).toBe('stopped');
    expect(laptop.states.at(-1)).toEqual({ state: 'stopped', code: undefined });
    await phone.channel.publish(hint());
    await sleep(300);
    expect(laptop.events).toEqual([]);
    await expect(failure(laptop.channel.publish(hint()))).resolves.toBeDefined();
    laptop.channel.start();
    expect(laptop.channel.state()).toBe('stopped');
  });
});
