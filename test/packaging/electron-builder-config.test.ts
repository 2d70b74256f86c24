// What electron-builder.yml asks of the installers that cannot be built here (NSIS, dmg, AppImage,
// deb): targets, install mode, signing inputs, and which better-sqlite3 prebuild each one keeps.
// The linux dir pack in electron-builder.int.test.ts checks what the file actually produces.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parse } from 'yaml';

const root = join(import.meta.dirname, '../..');
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
// The same minimatch, with the same options, that electron-builder's file matcher uses.
const { minimatch } = createRequire(join(root, 'node_modules/app-builder-lib/package.json'))('minimatch') as typeof import('minimatch');

function targets(platform: 'win' | 'mac' | 'linux'): Record<string, string[]> {
  const entries = config[platform].target as { target: string; arch: string | string[] }[];
  return Object.fromEntries(entries.map(({ target, arch }) => [target, [arch].flat()]));
}

/** The better-sqlite3 prebuilds that survive the `files` exclusions for one platform and arch. */
function keptPrebuilds(platform: string, arch: string): string[] {
  const prebuilds = readdirSync(join(root, 'node_modules/better-sqlite3/prebuilds'));
  const exclusions = (config.files as string[])
    .filter((pattern) => pattern.startsWith('!') && pattern.includes('prebuilds'))
    .map((pattern) => pattern.slice(1).replaceAll('${platform}', platform).replaceAll('${arch}', arch));
  return prebuilds
    .filter((name) => !exclusions.some((pattern) => minimatch(`node_modules/better-sqlite3/prebuilds/${name}`, pattern, { dot: true })))
    .sort();
}

test('Windows gets a per-user NSIS installer for x64 and arm64', () => {
  expect(targets('win')).toEqual({ nsis: ['x64', 'arm64'] });
  expect(config.nsis).toMatchObject({ oneClick: true, perMachine: false });
});

test('macOS gets a universal dmg and zip with the hardened runtime and its entitlements', () => {
  expect(targets('mac')).toEqual({ dmg: ['universal'], zip: ['universal'] });
  expect(config.mac.hardenedRuntime).toBe(true);
  expect(existsSync(join(root, config.mac.entitlements))).toBe(true);
  expect(readFileSync(join(root, config.mac.entitlements), 'utf8')).toContain('com.apple.security.cs.allow-jit');
  // Notarization is left to the environment (APPLE_* variables); `false` would switch it off.
  expect(config.mac.notarize).toBeUndefined();
});

test('Linux gets an AppImage and a deb', () => {
  expect(targets('linux')).toEqual({ AppImage: ['x64'], deb: ['x64'] });
  expect(config.linux.maintainer).toBeTruthy();
});

test('each Windows and Linux package keeps only its own arch of the better-sqlite3 prebuilds', () => {
  expect(keptPrebuilds('win32', 'x64')).toEqual(['win32-x64.node']);
  expect(keptPrebuilds('win32', 'arm64')).toEqual(['win32-arm64.node']);
  expect(keptPrebuilds('linux', 'x64')).toEqual(['linux-x64.node']);
});

test('both halves of the universal macOS app keep both darwin prebuilds, which the merge leaves as they are', () => {
  expect(keptPrebuilds('darwin', 'x64')).toEqual(['darwin-arm64.node', 'darwin-x64.node']);
  expect(keptPrebuilds('darwin', 'arm64')).toEqual(['darwin-arm64.node', 'darwin-x64.node']);
  for (const name of ['darwin-x64.node', 'darwin-arm64.node']) {
    const path = `Contents/Resources/app.asar.unpacked/node_modules/better-sqlite3/prebuilds/${name}`;
    expect(minimatch(path, config.mac.x64ArchFiles, { matchBase: true })).toBe(true);
  }
});

test('native modules are unpacked from the asar and the fuses are flipped at packaging', () => {
  expect(config.asarUnpack).toEqual(['**/*.node']);
  expect(config.electronFuses).toEqual({
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableCookieEncryption: true,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    grantFileProtocolExtraPrivileges: false,
  });
});

test("a team's build/cloud-profile.json lands where the packaged app looks for it", async () => {
  const { BAKED_PROFILE_FILE } = await import('../../main/cloud-profile/source');
  expect(config.extraResources).toContainEqual({ from: `${config.directories.buildResources}/${BAKED_PROFILE_FILE}`, to: BAKED_PROFILE_FILE });
});
