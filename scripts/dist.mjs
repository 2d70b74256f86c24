#!/usr/bin/env node
// `npm run dist`: the installers for this system (electron-builder.yml). electron-builder needs
// Electron's zip, which Electron's own installer also fetches; so where the binary is missing this
// runs that installer first (scripts/electron-binary.mjs: the same mirror and cache settings), and
// where it cannot be had it says why in one line and stops before building, instead of
// electron-builder failing minutes into a download it never mentioned. Arguments go to
// electron-builder as they are.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureElectron } from './electron-binary.mjs';

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
if (!args.some((arg) => arg.includes('electronDist'))) {
  const electron = await ensureElectron();
  if (electron.binary === undefined) {
    console.error(`${electron.reason}, and the installers need it: npm run dist stopped before building.`);
    process.exit(1);
  }
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
