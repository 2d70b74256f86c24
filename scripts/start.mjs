#!/usr/bin/env node
// `npm start`: the desktop app on the default (local) cloud profile — a development entry point.
// Without --cloud it starts the local cloud (or joins the one another `npm start` already runs in
// the same data dir: a second device, docs/architecture.md) and hands its profile to the app with
// --cloud, so the app itself (code that ships) never starts it. Where the Electron binary is
// missing it runs Electron's own installer first (scripts/electron-binary.mjs); only when that
// fails does it say why in one line and start the browser host instead, which runs the same
// main-process services (and finds the local cloud itself).
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startDevCloud } from '../localcloud/dev-cloud.ts';
import { demoUsersLine, sharedCloudLine } from '../main/cloud-profile/demo-users.ts';
import { readCloudProfileFile } from '../main/cloud-profile/file.ts';
import { logFileOf } from '../main/platform/log-file.ts';
import { checkProfileDir, resolveProfileDir } from '../main/profile-dir.ts';
import { isStale } from './build-state.mjs';
import { ensureElectron } from './electron-binary.mjs';

const USAGE = `Usage: npm start -- [--profile-dir DIR] [--cloud FILE]

Starts the desktop app. Where Electron's binary is missing it is fetched first (ELECTRON_MIRROR and
npm's electron_mirror name a mirror; ELECTRON_SKIP_BINARY_DOWNLOAD=1 skips the fetch); where it
cannot be had, the browser host starts instead, and prints the URL to open. The terminal shows
warnings and errors; every log line goes to the profile dir's logs/main.log.
  --cloud FILE        a cloud profile (JSON, as npm run localcloud prints); default: the local cloud
  --profile-dir DIR   this device's folder; two folders behave as two devices of one user
  --help              this text`;

const args = process.argv.slice(2);
let options;
try {
  ({ values: options } = parseArgs({
    args,
    options: { cloud: { type: 'string' }, 'profile-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  }));
} catch (error) {
  process.stderr.write(`start: ${error.message}. ${USAGE.split('\n')[0]}\n`);
  process.exit(1);
}
if (options.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
/** A failure with a stable code (a bad argument, PORT_IN_USE, JAVA_MISSING…) in one line; others as they are. */
function failWith(error) {
  if (typeof error?.code !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(error.code)) throw error;
  process.stderr.write(`start: ${error.code}: ${error.message}\n`);
  process.exit(1);
}

// A bad --cloud or --profile-dir is refused in one line before anything is fetched, built or started.
let given;
try {
  given = options.cloud === undefined ? undefined : readCloudProfileFile(resolve(options.cloud));
  if (options['profile-dir'] !== undefined) checkProfileDir(resolve(options['profile-dir']));
} catch (error) {
  failWith(error);
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const children = new Set();
let signalled;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    // The first signal ends the app (and then the local cloud, once no other app uses it); one a
    // second or more later (Ctrl-C again) does not wait for anything. Closer ones are the same
    // signal delivered twice: by the terminal to our process group, and by npm to its child.
    if (signalled !== undefined && Date.now() - signalled > 1_000) process.exit(130);
    signalled ??= Date.now();
    children.forEach((child) => child.kill(signal));
  });
}

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { stdio: 'inherit', shell: process.platform === 'win32' && command.endsWith('.cmd') });
  children.add(child);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve(code ?? (signal ? 1 : 0));
    }),
  );
}

/** Builds the three Electron targets when their sources changed since the last build. */
function buildIfStale() {
  const sources = ['main', 'preload', 'renderer', 'shared', 'electron.vite.config.ts', 'package.json'].map((name) => join(root, name));
  if (!isStale(join(root, 'out', 'main', 'index.js'), sources)) return 0;
  return run(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--logLevel', 'warn']);
}

/** Starts Electron with `electronArgs`, first telling the person at the terminal where the app went. */
function runElectron(electron, profile, electronArgs) {
  const profileDir = resolveProfileDir({ profile, profileDir: options['profile-dir'] });
  console.log(`The app opens in its own window; close it, or press Ctrl-C here, to stop it. Its log is ${logFileOf(profileDir)}.`);
  return run(electron, electronArgs);
}

/** Starts Electron on the local cloud's profile, written to a private temporary file. */
async function runOnLocalCloud(electron) {
  const cloud = await startDevCloud();
  const scratch = mkdtempSync(join(tmpdir(), 'auth0-cognito-desktop-'));
  chmodSync(scratch, 0o700);
  const profileFile = join(scratch, 'cloud.json');
  writeFileSync(profileFile, JSON.stringify(cloud.profile), { mode: 0o600 });
  if (cloud.shared) console.log(sharedCloudLine(cloud.ownerPid));
  console.log(demoUsersLine(cloud.users));
  try {
    return await runElectron(electron, cloud.profile, [root, '--cloud', profileFile, ...args]);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await cloud.stop();
  }
}

const electron = await ensureElectron();
let code;
if (electron.binary !== undefined) {
  code = await buildIfStale();
  if (code === 0 && signalled === undefined) code = given !== undefined ? await runElectron(electron.binary, given, [root, ...args]) : await runOnLocalCloud(electron.binary).catch(failWith);
} else {
  console.log(`${electron.reason}, so the app starts in the browser host: open the URL it prints.`);
  code = await run(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'start-web.ts'), ...args]);
}
process.exit(code);
