// The Platform's online signal for the real hosts. Neither Electron's main process (net.isOnline)
// nor Node tells when the network comes back, so the answer is polled and a change is announced:
// that is what lets the sync run "when the network comes back" outside tests.
import { networkInterfaces } from 'node:os';
import { cognitoEndpointOf, dynamodbEndpointOf, type CloudProfile } from '../../shared/cloud-profile';

export const ONLINE_POLL_MS = 3_000;

/**
 * Node's cheap guess for the browser host: some network interface other than loopback has an
 * address. It cannot see a captive portal or a dead router, but it sees a cable or Wi-Fi going.
 */
export function hasNetworkInterface(): boolean {
  return Object.values(networkInterfaces()).some((addresses) => addresses?.some((address) => !address.internal) ?? false);
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The browser host's probe: a cloud whose every endpoint is on loopback (the local cloud) needs no network. */
export function onlineProbeFor(profile: CloudProfile): () => boolean {
  const endpoints = [profile.issuer, cognitoEndpointOf(profile), dynamodbEndpointOf(profile)];
  return endpoints.every((url) => LOOPBACK_HOSTS.has(new URL(url).hostname)) ? () => true : hasNetworkInterface;
}

export interface OnlineSignal {
  isOnline(): boolean;
  onOnlineChange(listener: (online: boolean) => void): () => void;
  stop(): void;
}

export function watchOnline(probe: () => boolean, options: { pollMs?: number } = {}): OnlineSignal {
  const listeners = new Set<(online: boolean) => void>();
  let online = probe();
  const timer = setInterval(() => {
    const now = probe();
    if (now === online) return;
    online = now;
    for (const listener of listeners) listener(now);
  }, options.pollMs ?? ONLINE_POLL_MS);
  timer.unref?.();
  return {
    // Asked afresh, so a request made right after the network drops is not sent on a stale answer.
    isOnline: () => probe(),
    onOnlineChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    stop: () => clearInterval(timer),
  };
}
