// What electron-builder.yml really packs. The Electron zip cannot be downloaded here, so the app is
// packed `--linux dir` against a stand-in Electron dist: a file named `electron` that holds the fuse
// wire with Electron's own defaults, which is all electron-builder and @electron/fuses touch.
// The real installers (AppImage, deb, NSIS, dmg) are built by the CI workflow on each system.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { extractFile, listPackage } from '@electron/asar';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const root = join(import.meta.dirname, '../..');
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Electron 45's shipped wire, one byte per fuse in FuseV1Options order ('1' on, '0' off): every
// fuse the config sets starts from the opposite of, or the same as, what a download would hold.
const ELECTRON_DEFAULT_WIRE = '101100011';

const shippedFuses = {
  RunAsNode: 'off',
  EnableCookieEncryption: 'on',
  EnableNodeOptionsEnvironmentVariable: 'off',
  EnableNodeCliInspectArguments: 'off',
  EnableEmbeddedAsarIntegrityValidation: 'on',
  OnlyLoadAppFromAsar: 'on',
  GrantFileProtocolExtraPrivileges: 'off',
} as const;

function writeStandInElectron(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const wire = Buffer.concat([Buffer.from(FUSE_SENTINEL), Buffer.from([1, ELECTRON_DEFAULT_WIRE.length]), Buffer.from(ELECTRON_DEFAULT_WIRE)]);
  writeFileSync(join(dir, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\nexit 1\n'), wire]), { mode: 0o755 });
}

function pack(configFile: string, electronDist: string, output: string): string {
  const result = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/electron-builder/cli.js'),
      '--linux', 'dir', '--x64',
      '--config', configFile,
      '--publish', 'never',
      `-c.electronDist=${electronDist}`,
      `-c.directories.output=${output}`,
      // The rebuild step fetches keytar's prebuild for the target arch from GitHub; here the
      // target is the host, whose N-API keytar.node npm ci already built.
      '-c.npmRebuild=false',
    ],
    { cwd: root, encoding: 'utf8', env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' } },
  );
  if (result.status !== 0) throw new Error(`electron-builder --config ${configFile} failed:\n${result.stdout}\n${result.stderr}`);
  return join(output, 'linux-unpacked');
}

function fuseStates(wire: Awaited<ReturnType<typeof getCurrentFuseWire>>): Record<string, 'on' | 'off'> {
  const states: Record<string, 'on' | 'off'> = {};
  for (const name of Object.keys(shippedFuses)) {
    const state = (wire as unknown as Record<number, FuseState>)[FuseV1Options[name as keyof typeof FuseV1Options]];
    states[name] = state === FuseState.ENABLE ? 'on' : 'off';
  }
  return states;
}

/** Bare package names the main bundle imports at run time (Node built-ins and electron aside). */
function mainBundleImports(): string[] {
  const names = new Set<string>();
  for (const file of filesUnder(join(root, 'out/main')).filter((path) => path.endsWith('.js'))) {
    const code = readFileSync(join(root, 'out/main', file), 'utf8');
    // `from "pkg/sub"`, `import("pkg")`, `require("pkg")`: the package part of a bare specifier.
    const specifiers = /\b(?:from|import|require)\s*\(?\s*(["'])((?:@[\w.-]+\/)?[\w.-]+)(?:\/[\w./-]*)?\1/g;
    for (const [, , name] of code.matchAll(specifiers)) {
      if (name !== 'electron' && !name!.startsWith('.')) names.add(name!);
    }
  }
  return [...names];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

describe('the packed app (linux dir, stand-in Electron)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'pack-'));
  let app: string;
  let e2eApp: string;
  let asar: string[];

  beforeAll(() => {
    if (!existsSync(join(root, 'out/main/index.js'))) {
      execFileSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'pipe' });
    }
    writeStandInElectron(join(scratch, 'electron-dist'));
    app = pack('electron-builder.yml', join(scratch, 'electron-dist'), join(scratch, 'shipped'));
    e2eApp = pack('electron-builder.e2e.yml', join(scratch, 'electron-dist'), join(scratch, 'e2e'));
    asar = listPackage(join(app, 'resources/app.asar'), { isPack: false }).map((path) => path.split('\\').join('/'));
  }, 180_000);

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  test('app.asar holds the three bundles, package.json and every package the main bundle imports', () => {
    for (const file of ['/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/package.json']) {
      expect(asar).toContain(file);
    }
    const imported = mainBundleImports();
    expect(imported).toContain('keytar');
    for (const name of imported) expect(asar).toContain(`/node_modules/${name}/package.json`);
  });

  test('app.asar holds no sources, tests, local cloud or devDependency', () => {
    const outsideNodeModules = asar.filter((path) => !/^\/node_modules(\/|$)/.test(path));
    expect(outsideNodeModules.filter((path) => !/^\/(out(\/|$)|package\.json$)/.test(path))).toEqual([]);
    expect(outsideNodeModules.filter((path) => /\.tsx?$/.test(path))).toEqual([]);
    // package-lock.json marks with `dev` the packages only devDependencies need. electron-builder
    // hoists nested packages, so they are matched by name and version rather than by path.
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; dev?: boolean }> };
    const production = new Set(
      Object.entries(lock.packages)
        .filter(([, entry]) => entry.dev !== true)
        .map(([path, entry]) => `${path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${entry.version}`),
    );
    const packages = asar.filter((path) => /\/node_modules\/(@[^/]+\/)?[^/@]+$/.test(path) && asar.includes(`${path}/package.json`));
    const devOnly = packages.filter((path) => {
      const { name, version } = JSON.parse(extractFile(join(app, 'resources/app.asar'), `${path.slice(1)}/package.json`).toString()) as { name: string; version: string };
      return !production.has(`${name}@${version}`);
    });
    expect(devOnly).toEqual([]);
    for (const tool of ['oidc-provider', 'vitest', 'electron-builder', 'typescript', 'electron', 'vite']) {
      expect(packages).not.toContain(`/node_modules/${tool}`);
    }
  });

  test('native modules ship as .node files only, unpacked, with only this platform and arch of better-sqlite3', () => {
    const unpacked = filesUnder(join(app, 'resources/app.asar.unpacked'));
    const nodeFiles = unpacked.filter((path) => path.endsWith('.node'));
    expect(nodeFiles.sort()).toEqual(['node_modules/better-sqlite3/prebuilds/linux-x64.node', 'node_modules/keytar/build/Release/keytar.node']);
    const everything = [...asar, ...unpacked.map((path) => `/${path}`)];
    expect(everything.filter((path) => /\.(c|cc|cpp|h|hpp|gyp|gypi|mk)$|\/Makefile$|\/obj\.target\/|\/better-sqlite3\/(src|deps|build)\//.test(path))).toEqual([]);
  });

  // N-API modules load in Node as in Electron, so the shipped copies can be tried here (Linux x64 only:
  // elsewhere the packed linux-x64 prebuild and the host's keytar.node do not belong together).
  test.runIf(process.platform === 'linux' && process.arch === 'x64')('the unpacked better-sqlite3 and keytar load with what was shipped', () => {
    const probe = [
      "const Database = require('./better-sqlite3');",
      "const db = new Database(':memory:');",
      "const keytar = require('./keytar');",
      "console.log(JSON.stringify({ sqlite: db.prepare('select sqlite_version() as v').get().v, keytar: typeof keytar.getPassword }));",
    ].join(' ');
    const run = spawnSync(process.execPath, ['-e', probe], { cwd: join(app, 'resources/app.asar.unpacked/node_modules'), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ sqlite: expect.stringMatching(/^3\./), keytar: 'function' });
  });

  test('the shipped binary has every fuse set as the security checklist asks', async () => {
    expect(fuseStates(await getCurrentFuseWire(join(app, 'auth0-cognito-desktop')))).toEqual(shippedFuses);
  });

  test('the e2e flavour differs only in allowing --inspect, which Playwright needs', async () => {
    expect(fuseStates(await getCurrentFuseWire(join(e2eApp, 'auth0-cognito-desktop')))).toEqual({ ...shippedFuses, EnableNodeCliInspectArguments: 'on' });
  });

  test('the packaged app carries its update feed, which electron-updater reads', () => {
    expect(readFileSync(join(app, 'resources/app-update.yml'), 'utf8')).toMatch(/^provider: generic$/m);
  });
});
