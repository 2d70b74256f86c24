// `npm run localcloud -- [--data-dir DIR] [--in-memory]`: prints one JSON line when ready, serves
// until SIGINT/SIGTERM, then stops DynamoDB Local and exits 0.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { serveUntilSignal } from '../main/platform/serve-until-signal';
import { LocalCloudError } from './local-cloud-error';
import { isAlive, startDevCloud } from './dev-cloud';
import { DEFAULT_DATA_DIR, startLocalCloud } from './start-local-cloud';

const USAGE = 'Usage: npm run localcloud -- [--data-dir DIR] [--in-memory]';
const HELP = `${USAGE}

A local Auth0 + Cognito + DynamoDB + AppSync Events for development and tests, on 127.0.0.1 only.
When ready it prints one JSON line (a cloud profile plus the demo users and their passwords) and
serves until Ctrl-C.
  --data-dir DIR   where its state (keys, users, identities, tables, ports) is kept
                   (default ~/.auth0-cognito-desktop/localcloud)
  --in-memory      keep nothing
  --help           this text
Save the profile with: npm run --silent localcloud > cloud.json (without --silent npm's banner
would end up in the file).`;

function fail(message: string): never {
  process.stderr.write(`localcloud: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let values: { 'data-dir'?: string; 'in-memory'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { 'data-dir': { type: 'string' }, 'in-memory': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (error) {
    fail(`${(error as Error).message}. ${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  if (values['in-memory']) {
    // With --data-dir too, refused (BAD_OPTION) before anything starts.
    const cloud = await startLocalCloud({ inMemory: true, dataDir: values['data-dir'] });
    serveUntilSignal(() => cloud.stop(), (error) => fail(`stopping failed: ${String(error)}`));
    process.stdout.write(`${JSON.stringify(cloud.describe())}\n`);
    return;
  }
  // A data dir is one cloud: when an app (npm start, start:web) already runs it, this joins it.
  const cloud = await startDevCloud(resolve(values['data-dir'] ?? DEFAULT_DATA_DIR));
  if (cloud.shared) {
    process.stderr.write(`localcloud: already running in this data dir (started by pid ${cloud.ownerPid}); serving its profile until Ctrl-C.\n`);
    // Nothing of its own keeps this process alive: it stays for as long as the shared cloud runs.
    setInterval(() => isAlive(cloud.ownerPid) || fail(`the shared local cloud stopped with the command that started it (pid ${cloud.ownerPid}).`), 1_000);
  }
  serveUntilSignal(() => cloud.stop(), (error) => fail(`stopping failed: ${String(error)}`));
  process.stdout.write(`${JSON.stringify({ ...cloud.profile, users: cloud.users })}\n`);
}

main().catch((error: unknown) => {
  fail(error instanceof LocalCloudError ? `${error.code}: ${error.message}` : String((error as Error)?.stack ?? error));
});
