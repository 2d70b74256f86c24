#!/usr/bin/env node
// `npm start`: the desktop app on the default (local) cloud profile. Where no Electron binary is
// installed (ELECTRON_SKIP_BINARY_DOWNLOAD, or a machine that cannot download it) it says so in one
// line and starts the browser host instead, which runs the same main-process services.
import { spawn } from 'node:child_process';
import { electronBinary } from './electron-binary.mjs';

const args = process.argv.slice(2);

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { stdio: 'inherit', shell: process.platform === 'win32' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const electron = electronBinary();
let code;
if (electron) {
  code = await run(npx, ['electron-vite', 'build', '--logLevel', 'warn']);
  if (code === 0) code = await run(electron, ['.', ...args]);
} else {
  console.log('No Electron binary is installed here, so the app starts in the browser host: open the URL it prints.');
  code = await run(npx, ['vite', 'build', '-c', 'renderer/vite.config.ts', '--logLevel', 'warn']);
  if (code === 0) code = await run(process.execPath, ['--import', 'tsx', 'main/web-host/cli.ts', ...args]);
}
process.exit(code);
