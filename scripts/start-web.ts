// `npm run start:web -- [--profile-dir DIR] [--cloud FILE]`: the app's main-process services behind
// the browser host. A development entry point: without --cloud it starts the local cloud. Checks its
// arguments, the profile and the profile dir before anything is built or started; builds the renderer;
// prints ONE JSON line {"url": ...} on stdout when ready, and on stderr the same URL in a sentence for
// people; stops cleanly on SIGINT/SIGTERM.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { isStale } from './build-state.mjs';
import { isAppError } from '../shared/errors';
import type { CloudProfile } from '../shared/cloud-profile';
import { readCloudProfileFile } from '../main/cloud-profile/file';
import { demoUsersLine, sharedCloudLine } from '../main/cloud-profile/demo-users';
import { createEventHub } from '../main/ipc/event-hub';
import { createProfileLogger, logFileOf } from '../main/platform/log-file';
import { serveUntilSignal } from '../main/platform/serve-until-signal';
import { checkProfileDir, resolveProfileDir } from '../main/profile-dir';
import { startServices } from '../main/start-services';
import { keepServingOnUnhandledRejection } from '../main/platform/keep-serving';
import { startWebHost } from '../main/web-host/start-web-host';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `Usage: npm run start:web -- [--profile-dir DIR] [--cloud FILE]

Runs the app's services behind a page on 127.0.0.1. When ready it prints one JSON line {"url": ...}
on stdout (for scripts) and "Open URL in your browser" on stderr: open that URL. The terminal shows
warnings and errors; every log line goes to the profile dir's logs/main.log.
  --cloud FILE        a cloud profile (JSON, as npm run localcloud prints); default: the local cloud
  --profile-dir DIR   this device's folder; two folders behave as two devices of one user
  --help              this text`;

function fail(message: string): never {
  process.stderr.write(`start:web: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let values: { 'profile-dir'?: string; cloud?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { 'profile-dir': { type: 'string' }, cloud: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (error) {
    fail(`${(error as Error).message}. ${USAGE.split('\n')[0]}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  // Read first, so a bad profile or profile dir is reported before anything is built or started.
  const given = values.cloud === undefined ? undefined : readCloudProfileFile(resolve(values.cloud));
  if (values['profile-dir'] !== undefined) checkProfileDir(resolve(values['profile-dir']));
  const staticDir = join(root, 'out', 'renderer');
  // Built when its sources changed since the last build, so that two hosts started side by side
  // (two devices) never rebuild the folder the other one serves.
  if (isStale(join(staticDir, 'index.html'), [join(root, 'renderer'), join(root, 'shared')])) {
    await build({ configFile: join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
  }

  let profile: CloudProfile;
  let stopCloud = async () => {};
  if (given) {
    profile = given;
  } else {
    const { startDevCloud } = await import('../localcloud/dev-cloud');
    const cloud = await startDevCloud();
    profile = cloud.profile;
    stopCloud = cloud.stop;
    if (cloud.shared) process.stderr.write(`${sharedCloudLine(cloud.ownerPid)}\n`);
    process.stderr.write(`${demoUsersLine(cloud.users)}\n`);
  }

  const hub = createEventHub();
  try {
    const profileDir = resolveProfileDir({ profile, profileDir: values['profile-dir'] });
    checkProfileDir(profileDir);
    // The log file gets every line; the terminal only warnings and errors (main/platform/log-file.ts).
    const log = createProfileLogger(profileDir);
    keepServingOnUnhandledRejection(log);
    const services = await startServices({
      profile,
      profileDir,
      // No system browser to drive from here: the page opens the IdP's page in a new tab.
      openExternal: async (url) => hub.emit('openExternal', { url }),
      hub,
      log,
    });
    const host = await startWebHost({ router: services.app.router, hub, staticDir, log: log.child('web-host') });
    serveUntilSignal(
      async () => void (await Promise.all([host.stop(), services.stop().then(stopCloud)])),
      (error) => fail(`stopping failed: ${String(error)}`),
    );
    // The JSON line is for scripts (stdout holds nothing else); the sentence is for the person at the terminal.
    process.stdout.write(`${JSON.stringify({ url: host.url })}\n`);
    process.stderr.write(`Open ${host.url} in your browser. Ctrl-C stops the app; its log is ${logFileOf(profileDir)}.\n`);
  } catch (error) {
    await stopCloud();
    throw error;
  }
}

main().catch((error: unknown) => {
  fail(isAppError(error) || (error as { code?: string })?.code ? `${(error as { code: string }).code}: ${(error as Error).message}` : String((error as Error)?.stack ?? error));
});
