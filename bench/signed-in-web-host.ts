// The app as the browser host runs it — createApp behind startWebHost serving the built renderer —
// signed in to a localcloud demo user (Chromium logs in on the IdP page), with a dataset filled
// through the store directly. By default "Work offline" is on, so no background sync competes with
// what the bridge and render benchmarks time; the push benchmark runs devices online, with or
// without the Events API, at the app's timers or others.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import keytar from 'keytar';
import type { Browser } from 'playwright-core';
import type { LocalCloud } from '../localcloud/start-local-cloud';
import { createApp, type App, type AppOptions } from '../main/app';
import { createEventHub } from '../main/ipc/event-hub';
import { APP_ID, profileIdOf } from '../main/platform/platform';
import { keychainService } from '../main/platform/keychain/keytar-store';
import { startWebHost, type RunningWebHost } from '../main/web-host/start-web-host';
import { logInAndReturn, testPlatform } from '../test/support/system-browser';
import { profileFor } from '../test/support/test-app';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const RENDERER_DIR = join(root, 'out', 'renderer');

export interface SignedInWebHost {
  app: App;
  host: RunningWebHost;
  identityId: string;
  /** The token the page presents on the WebSocket (the URL's fragment). */
  token: string;
  stop(): Promise<void>;
}

/** Builds the renderer when no build exists yet (as `npm run start:web` does). */
export async function ensureRendererBuilt(): Promise<void> {
  if (existsSync(join(RENDERER_DIR, 'index.html'))) return;
  const { build } = await import('vite');
  await build({ configFile: join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
}

export interface SignedInWebHostOptions {
  /** Which demo user (cloud.users[user]); the first by default. */
  user?: number;
  /** Online, syncing by itself (default: "Work offline" on). */
  online?: boolean;
  /** The profile names the local cloud's Events API (push hints); default no, so the app polls. */
  pushHints?: boolean;
  syncTiming?: AppOptions['syncTiming'];
}

export async function startSignedInWebHost(
  cloud: LocalCloud,
  browser: Browser,
  fill: { dataset: string; records: number; valueBytes: number },
  options: SignedInWebHostOptions = {},
): Promise<SignedInWebHost> {
  await ensureRendererBuilt();
  const scratch = mkdtempSync(join(tmpdir(), 'bench-host-'));
  const profileDir = join(scratch, 'profile');
  const platform = testPlatform(profileDir);
  platform.onOpen = async (url) => void (await logInAndReturn(browser, url, cloud.users[options.user ?? 0]!));
  const hub = createEventHub();
  let app: App | undefined;
  let host: RunningWebHost | undefined;
  const stop = async () => {
    await host?.stop();
    await app?.stop();
    // The sign-in went to the OS keychain when there is one: the bench leaves no entry behind.
    const service = keychainService(APP_ID, profileIdOf(profileDir));
    for (const { account } of await keytar.findCredentials(service).catch(() => [])) await keytar.deletePassword(service, account).catch(() => false);
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    const events = options.pushHints ? { eventsHttpEndpoint: cloud.eventsHttpEndpoint, eventsRealtimeEndpoint: cloud.eventsRealtimeEndpoint } : {};
    app = await createApp({ profile: profileFor(cloud, events), platform, hub, syncTiming: options.syncTiming });
    const signedIn = await app.router.dispatch('session.signIn', {});
    if (!signedIn.ok) throw new Error(`signing the bench user in failed: ${signedIn.error.code}`);
    const identityId = await app.sync.identityId();
    if (!options.online) app.store.setWorkOffline(true);
    app.store.openOrCreate(identityId, fill.dataset);
    const value = 'v'.repeat(fill.valueBytes);
    const chunk = 5_000;
    for (let start = 0; start < fill.records; start += chunk) {
      const batch = Array.from({ length: Math.min(chunk, fill.records - start) }, (_, index) => ({ key: `r${String(start + index).padStart(7, '0')}`, value }));
      app.store.putMany(identityId, fill.dataset, batch);
    }
    host = await startWebHost({ router: app.router, hub, staticDir: RENDERER_DIR });
    return { app, host, identityId, token: new URL(host.url).hash.replace('#token=', ''), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
