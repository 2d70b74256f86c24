// `npm run start:web -- [--profile-dir DIR] [--cloud FILE]`: the app's main-process services behind
// the browser host. Prints ONE JSON line {"url": ...} when ready; stops cleanly on SIGINT/SIGTERM.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isAppError } from '../../shared/errors';
import { readCloudProfileFile } from '../cloud-profile-file';
import { createEventHub } from '../ipc/event-hub';
import { createLogger } from '../log';
import { serveUntilSignal } from '../serve-until-signal';
import { demoUsersLine } from '../demo-users-line';
import { startServices } from '../start-services';
import { startWebHost } from './start-web-host';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const USAGE = 'Usage: npm run start:web -- [--profile-dir DIR] [--cloud FILE]';

function fail(message: string): never {
  process.stderr.write(`start:web: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let values: { 'profile-dir'?: string; cloud?: string };
  try {
    ({ values } = parseArgs({ options: { 'profile-dir': { type: 'string' }, cloud: { type: 'string' } }, strict: true }));
  } catch (error) {
    fail(`${(error as Error).message}. ${USAGE}`);
  }
  // Read first, so a bad profile is reported before anything starts.
  const profile = values.cloud === undefined ? undefined : readCloudProfileFile(resolve(values.cloud));
  const staticDir = join(root, 'out', 'renderer');
  if (!existsSync(join(staticDir, 'index.html'))) fail('the renderer is not built: run `npm run build:renderer` (npm run start:web does it).');

  const hub = createEventHub();
  const log = createLogger({ level: 'info' });
  const services = await startServices({
    profile,
    profileDir: values['profile-dir'],
    // No system browser to drive from here: the page opens the IdP's page in a new tab.
    openExternal: async (url) => hub.emit('openExternal', { url }),
    hub,
    log,
  });
  const host = await startWebHost({ router: services.app.router, hub, staticDir });
  serveUntilSignal(
    async () => void (await Promise.all([host.stop(), services.stop()])),
    (error) => fail(`stopping failed: ${String(error)}`),
  );
  if (services.demoUsers) process.stderr.write(`${demoUsersLine(services.demoUsers)}\n`);
  process.stdout.write(`${JSON.stringify({ url: host.url })}\n`);
}

main().catch((error: unknown) => {
  fail(isAppError(error) || (error as { code?: string })?.code ? `${(error as { code: string }).code}: ${(error as Error).message}` : String((error as Error)?.stack ?? error));
});
