#!/usr/bin/env node
// `npm run dist`: the installers for this system (electron-builder.yml). electron-builder downloads
// Electron's zip from GitHub for them; on a machine that could not download the Electron binary at
// `npm ci` that download fails too, after minutes and without saying what it was doing, so this
// checks first and says so in one line. Arguments go to electron-builder as they are.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary, NO_ELECTRON_LINE } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

if (args.includes('--help') || args.includes('-h')) {
  console.log(`Usage: npm run dist -- [ELECTRON_BUILDER_ARGS...]

Builds the app (electron-vite build), then this system's installers into dist/:
  Windows: NSIS (x64, arm64)   macOS: dmg + zip (universal)   Linux: AppImage + deb
Examples:
  npm run dist                                           this system's installers
  npm run dist -- --linux dir --config electron-builder.e2e.yml   the e2e flavour (Playwright)
  npm run dist -- --help                                 this text
Signing and notarization read CSC_LINK, CSC_KEY_PASSWORD and APPLE_* from the environment.`);
  process.exit(0);
}

// A local Electron dist (-c.electronDist=DIR) needs no download.
if (electronBinary() === undefined && !args.some((arg) => arg.includes('electronDist'))) {
  console.error(`${NO_ELECTRON_LINE}, and npm run dist would download Electron from GitHub for the installers: stopped before building (installers are built by CI, or on a machine that can reach GitHub).`);
  process.exit(1);
}

function run(script, scriptArgs) {
  const child = spawn(process.execPath, [join(root, script), ...scriptArgs], { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

let code = await run('node_modules/electron-vite/bin/electron-vite.js', ['build', '--logLevel', 'warn']);
// CI builds installers; publishing them is a separate, deliberate step.
if (code === 0) code = await run('node_modules/electron-builder/cli.js', ['--publish', 'never', ...args]);
process.exit(code);
