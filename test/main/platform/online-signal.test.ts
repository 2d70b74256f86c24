import { afterEach, expect, test, vi } from 'vitest';
import { hasNetworkInterface, onlineProbeFor, watchOnline } from '../../../main/platform/online-signal';

afterEach(() => {
  vi.useRealTimers();
});

test('a change of the probed answer is announced once, and an unchanged answer not at all', () => {
  vi.useFakeTimers();
  let probed = true;
  const signal = watchOnline(() => probed, { pollMs: 1_000 });
  const heard: boolean[] = [];
  signal.onOnlineChange((online) => heard.push(online));
  vi.advanceTimersByTime(3_000);
  probed = false;
  expect(signal.isOnline()).toBe(false);
  vi.advanceTimersByTime(3_000);
  probed = true;
  vi.advanceTimersByTime(1_000);
  expect(heard).toEqual([false, true]);
  signal.stop();
  probed = false;
  vi.advanceTimersByTime(5_000);
  expect(heard).toEqual([false, true]);
});

test('the Node probe answers without touching the network', () => {
  expect(typeof hasNetworkInterface()).toBe('boolean');
});

test('the local cloud, all on loopback, counts as reachable whatever the network does', () => {
  const local = {
    issuer: 'http://127.0.0.1:4000/',
    clientId: 'c',
    identityPoolId: 'us-east-1:00000000-0000-4000-8000-000000000000',
    region: 'us-east-1',
    tableName: 'table',
    cognitoEndpoint: 'http://127.0.0.1:4001',
    dynamodbEndpoint: 'http://127.0.0.1:4002',
  };
  expect(onlineProbeFor(local)()).toBe(true);
  expect(onlineProbeFor({ ...local, issuer: 'https://tenant.eu.auth0.com/', cognitoEndpoint: undefined, dynamodbEndpoint: undefined })).toBe(hasNetworkInterface);
});
