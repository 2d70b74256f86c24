#!/usr/bin/env node
// `npm start`: the desktop app on the default (local) cloud profile — a development entry point.
// Without --cloud it starts the local cloud (`localcloud/cli.ts`) and hands its profile to the app
// with --cloud, so the app itself (code that ships) never starts it. Where no Electron binary is
// installed it says so in one line and starts the browser host instead, which runs the same
// main-process services (and starts the local cloud itself).
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { demoUsersLine } from '../main/demo-users-line.ts';
import { electronBinary, NO_ELECTRON_LINE } from './electron-binary.mjs';

const USAGE = `Usage: npm start -- [--profile-dir DIR] [--cloud FILE]

Starts the desktop app (or, where no Electron binary is installed, the browser host).
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

const children = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => children.forEach((child) => child.kill(signal)));
}

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { stdio: 'inherit', shell: process.platform === 'win32' });
  children.add(child);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve(code ?? (signal ? 1 : 0));
    }),
  );
}

/** Starts `npm run localcloud` and resolves with its JSON line (a cloud profile plus demo users). */
function startLocalCloud() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'localcloud/cli.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolve({ description: JSON.parse(line), stop: () => child.kill('SIGTERM') }));
    child.once('exit', (code) => reject(new Error(`the local cloud exited ${code} before it was ready`)));
  });
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const electron = electronBinary();
let code;
if (electron) {
  code = await run(npx, ['electron-vite', 'build', '--logLevel', 'warn']);
  if (code === 0 && options.cloud !== undefined) code = await run(electron, ['.', ...args]);
  else if (code === 0) {
    const cloud = await startLocalCloud();
    const { users, ...profile } = cloud.description;
    const scratch = mkdtempSync(join(tmpdir(), 'auth0-cognito-desktop-'));
    const profileFile = join(scratch, 'cloud.json');
    writeFileSync(profileFile, JSON.stringify(profile), { mode: 0o600 });
    chmodSync(scratch, 0o700);
    console.log(demoUsersLine(users));
    try {
      code = await run(electron, ['.', '--cloud', profileFile, ...args]);
    } finally {
      cloud.stop();
      rmSync(scratch, { recursive: true, force: true });
    }
  }
} else {
  console.log(`${NO_ELECTRON_LINE}, so the app starts in the browser host: open the URL it prints.`);
  code = await run(process.execPath, ['--import', 'tsx', 'main/web-host/cli.ts', ...args]);
}
process.exit(code);
