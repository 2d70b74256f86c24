// Cognito's credentials rotate (hourly in AWS; every 6 s in this local cloud): the push channel asks
// for them again at every connect, subscribe and publish, so it keeps working across a rotation,
// where a channel that kept its first credentials is refused once they expire.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../../localcloud/start-local-cloud';
import { readIdToken } from '../../../../main/auth/id-token';
import { createCognitoCredentials, type AwsCredentialProvider, type CognitoCredentials } from '../../../../main/aws/cognito-credentials';
import { createPushChannel } from '../../../../main/aws/push/events-socket';
import type { PushChannel, PushState } from '../../../../main/aws/push/push-channel';
import { syncChannelOf } from '../../../../shared/sync-channel';
import { failure } from '../../../support/app-error';
import { passwordSignIn } from '../../../support/password-sign-in';
import { testPlatform } from '../../../support/system-browser';
import { profileFor } from '../../../support/test-app';

const TTL_SECONDS = 6;

let root: string;
let cloud: LocalCloud;
const credentialServices: CognitoCredentials[] = [];
const channels: PushChannel[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'push-rotation-int-'));
  cloud = await startLocalCloud({ inMemory: true, credentialTtlSeconds: TTL_SECONDS });
});

afterAll(async () => {
  await Promise.all(channels.map((channel) => channel.stop()));
  for (const credentials of credentialServices) credentials.close();
  await cloud?.stop();
  await rm(root, { recursive: true, force: true });
});

/** The app's credentials service for alice on a new device, renewing 2 s before expiry. */
async function aliceCredentials(): Promise<CognitoCredentials> {
  const { username, password } = cloud.users[0]!;
  const tokens = await passwordSignIn({ issuer: cloud.issuer, clientId: cloud.clientId, username, password });
  const { sub } = readIdToken(tokens.id_token!).claims as { sub: string };
  const session = { user: () => ({ issuer: cloud.issuer, sub }), getIdToken: async () => tokens.id_token! };
  const credentials = createCognitoCredentials({
    profile: profileFor(cloud),
    platform: testPlatform(await mkdtemp(join(root, 'device-'))),
    session,
    marginSeconds: 2,
  });
  credentialServices.push(credentials);
  return credentials;
}

function channelOf(identityId: string, credentials: AwsCredentialProvider) {
  const events: string[] = [];
  const states: { state: PushState; code?: string }[] = [];
  const channel = createPushChannel({
    realtimeEndpoint: cloud.eventsRealtimeEndpoint,
    httpEndpoint: cloud.eventsHttpEndpoint,
    region: cloud.region,
    channel: syncChannelOf(identityId),
    credentials,
    onEvent: (event) => events.push(event),
    onState: (state, detail) => states.push({ state, code: detail?.code }),
    backoff: { firstMs: 50, maxMs: 400 },
  });
  channels.push(channel);
  channel.start();
  return { channel, events, states };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let syncCount = 0;
const hint = () => JSON.stringify({ v: 1, ds: 'notes', sc: (syncCount += 1), dev: 'phone' });

test('after the credentials rotate, the next subscribe and publish sign with the new ones', async () => {
  const laptopCredentials = await aliceCredentials();
  const phoneCredentials = await aliceCredentials();
  const identityId = await laptopCredentials.identityId();
  const keysUsed: string[] = [];
  const recording: AwsCredentialProvider = async () => {
    const credentials = await laptopCredentials.provider();
    keysUsed.push(credentials.accessKeyId);
    return credentials;
  };
  const first = await laptopCredentials.provider();
  const laptop = channelOf(identityId, recording);
  const frozen = channelOf(identityId, async () => first);
  const phone = channelOf(identityId, phoneCredentials.provider);
  for (const each of [laptop, frozen, phone]) await expect.poll(() => each.channel.state(), { timeout: 10_000 }).toBe('subscribed');

  // Past the first credentials' expiry: the subscriptions they signed stay (an AppSync connection
  // lasts up to 24 h whatever signed it), but nothing new may be signed with them.
  await sleep(TTL_SECONDS * 1000 + 1_000);
  const later = hint();
  await phone.channel.publish(later);
  await expect.poll(() => laptop.events, { timeout: 2_000 }).toContain(later);

  await laptop.channel.publish(hint());
  expect(keysUsed.at(-1)).not.toBe(first.accessKeyId);
  const refused = await failure(frozen.channel.publish(hint()));
  expect(refused.code).toBe('ACCESS_DENIED');
  expect(refused.message).toContain('expired');

  // Every socket goes: the laptop reconnects and resubscribes with fresh credentials, the frozen one cannot.
  const signaturesBefore = keysUsed.length;
  cloud.closePushSockets();
  await expect.poll(() => laptop.states.filter((each) => each.state === 'subscribed').length, { timeout: 10_000 }).toBe(2);
  expect(keysUsed.length).toBeGreaterThanOrEqual(signaturesBefore + 2);
  await expect.poll(() => frozen.states.filter((each) => each.state === 'down').map((each) => each.code), { timeout: 5_000 }).toContain('UNAUTHORIZED');
  expect(frozen.channel.state()).not.toBe('subscribed');
});
