// The first minutes of a new user, on a fresh install: `npm ci` leaves no Electron binary (Electron
// ≥ 42 has no postinstall), so `npm start` must fetch it with Electron's own installer and start it
// on the local cloud; a second `npm start -- --profile-dir B` beside it is a second device on the
// same local cloud; with the download source down, one line says why and the browser host starts.
//
// GitHub cannot be reached here, so the release is a stand-in served on 127.0.0.1 through the
// installer's own settings (ELECTRON_MIRROR, electron_use_remote_checksums, electron_config_cache):
// a zip whose `electron` is a small script that records how it was started and then waits, and the
// release's SHASUMS256.txt. The project is a copy of this checkout whose node_modules links to this
// one's, except `electron`, which is copied as `npm ci` leaves it: without dist/ and path.txt.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ZipFile } from 'yazl';
import { cloudProfileSchema } from '../../shared/cloud-profile';
import { killGroup, processesMentioning } from '../support/processes';

const root = join(import.meta.dirname, '../..');
const { version } = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string };
const zipName = `electron-v${version}-linux-x64.zip`;

// Records its arguments, working folder and the cloud profile it was given (the file is removed when
// the app ends), then waits like a running app until it is signalled (bounded: 3 minutes).
const STAND_IN_ELECTRON = `#!/bin/sh
out="$STAND_IN_RECORDS/$$"
: > "$out.args"
for arg in "$@"; do printf '%s\\n' "$arg" >> "$out.args"; done
previous=""
for arg in "$@"; do
  if [ "$previous" = "--cloud" ]; then cp "$arg" "$out.cloud.json"; fi
  previous="$arg"
done
pwd > "$out.cwd"
trap 'exit 0' TERM INT
touch "$out.started"
i=0
while [ $i -lt 900 ]; do sleep 0.2; i=$((i + 1)); done
exit 0
`;
// After the script, the fuse wire with Electron's defaults (one byte per fuse, '1' on): all that
// electron-builder and @electron/fuses read and flip in the binary when packing.
const FUSE_WIRE = Buffer.concat([Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, 9]), Buffer.from('101100011')]);

function zipOf(files: Record<string, { content: Buffer; mode: number }>): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, { content, mode }] of Object.entries(files)) zip.addBuffer(content, name, { mode: 0o100000 | mode });
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

interface Release {
  url: string;
  requests: string[];
  stop(): Promise<void>;
}

async function serveRelease(): Promise<Release> {
  const zip = await zipOf({
    electron: { content: Buffer.concat([Buffer.from(STAND_IN_ELECTRON), FUSE_WIRE]), mode: 0o755 },
    version: { content: Buffer.from(`v${version}`), mode: 0o644 },
  });
  const sums = `${createHash('sha256').update(zip).digest('hex')} *${zipName}\n`;
  const files = new Map<string, Buffer>([
    [`/v${version}/${zipName}`, zip],
    [`/v${version}/SHASUMS256.txt`, Buffer.from(sums)],
  ]);
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const body = files.get(request.url ?? '');
    response.writeHead(body ? 200 : 404, { 'content-length': body?.length ?? 0 }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, requests, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A fresh install: this checkout's files, its node_modules linked, and `electron` as npm ci leaves it. */
function freshProject(dir: string): string {
  const project = join(dir, 'project');
  for (const name of ['package.json', 'tsconfig.json', 'electron.vite.config.ts', 'main', 'preload', 'renderer', 'shared', 'localcloud', 'infra', 'scripts', 'out']) {
    if (existsSync(join(root, name))) cpSync(join(root, name), join(project, name), { recursive: true, preserveTimestamps: true });
  }
  symlinkSync(join(root, '.cache'), join(project, '.cache'));
  mkdirSync(join(project, 'node_modules'));
  for (const name of readdirSync(join(root, 'node_modules'))) {
    if (name !== 'electron') symlinkSync(join(root, 'node_modules', name), join(project, 'node_modules', name));
  }
  resetElectron(project);
  return project;
}

/** node_modules/electron as `npm ci` leaves it: the package, no binary. */
function resetElectron(project: string): void {
  const electron = join(project, 'node_modules', 'electron');
  rmSync(electron, { recursive: true, force: true });
  cpSync(join(root, 'node_modules', 'electron'), electron, {
    recursive: true,
    filter: (source) => !/[\\/]electron[\\/](dist|path\.txt)$/.test(source),
  });
}

interface Started {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

function npmStart(project: string, env: NodeJS.ProcessEnv, args: string[] = []): Started {
  const child = spawn('npm', ['start', '--silent', '--', ...args], { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Polls `probe` until it gives a value; fails with what the command printed. */
async function until<T>(what: string, probe: () => T | undefined, started: Started, options: { whileRunning?: boolean } = {}): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; the command printed:\n${started.output()}`);
    if ((options.whileRunning ?? true) && started.child.exitCode !== null) {
      throw new Error(`npm start exited ${started.child.exitCode} before ${what}:\n${started.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface Launch {
  args: string[];
  cwd: string;
  cloud: ReturnType<typeof cloudProfileSchema.parse>;
}

/** The stand-in Electron's records of every start, by pid. */
function launches(records: string): Map<string, Launch> {
  const found = new Map<string, Launch>();
  for (const name of readdirSync(records).filter((file) => file.endsWith('.started'))) {
    const pid = name.replace(/\.started$/, '');
    const read = (suffix: string) => readFileSync(join(records, `${pid}${suffix}`), 'utf8');
    found.set(pid, {
      args: read('.args').trimEnd().split('\n'),
      cwd: read('.cwd').trim(),
      cloud: cloudProfileSchema.parse(JSON.parse(read('.cloud.json'))),
    });
  }
  return found;
}

describe.skipIf(process.platform !== 'linux' || process.arch !== 'x64')('npm start on a fresh install, Electron from a stand-in release', () => {
  let scratch: string;
  let project: string;
  let release: Release;
  let records: string;
  let env: NodeJS.ProcessEnv;
  const running: Started[] = [];

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'electron-fetch-'));
    project = freshProject(scratch);
    release = await serveRelease();
    records = join(scratch, 'records');
    mkdirSync(records);
    mkdirSync(join(scratch, 'home'));
    const { ELECTRON_SKIP_BINARY_DOWNLOAD: _skip, ...inherited } = process.env;
    env = {
      ...inherited,
      HOME: join(scratch, 'home'),
      ELECTRON_MIRROR: release.url,
      electron_use_remote_checksums: '1',
      electron_config_cache: join(scratch, 'electron-cache'),
      STAND_IN_RECORDS: records,
    };
  });

  afterAll(async () => {
    running.forEach((started) => killGroup(started.child));
    await release?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  test('fetches Electron through the mirror and starts it with the built app and the local cloud’s profile; a second device beside it joins that cloud', async () => {
    const first = npmStart(project, env);
    running.push(first);
    const [a] = await until('the first app', () => (launches(records).size >= 1 ? [...launches(records).values()] : undefined), first);
    expect(first.output()).toContain(`Electron ${version} is not installed yet: fetching it once from ${release.url}`);
    expect(release.requests).toEqual(expect.arrayContaining([`/v${version}/${zipName}`, `/v${version}/SHASUMS256.txt`]));
    expect(readFileSync(join(project, 'node_modules/electron/path.txt'), 'utf8')).toBe('electron');
    expect(a!.args[0]).toBe(project);
    expect(existsSync(join(project, 'out/main/index.js'))).toBe(true);
    expect(a!.args.slice(1, 2)).toEqual(['--cloud']);
    // The profile is the local cloud's, and that cloud is serving.
    expect((await fetch(new URL('.well-known/openid-configuration', a!.cloud.issuer))).status).toBe(200);
    expect(first.output()).toMatch(/Local cloud: sign in as /);
    // For the person at the terminal: where the app went, how to stop it, where its log is.
    const appOpens = (profileDir: string) =>
      `The app opens in its own window; close it, or press Ctrl-C here, to stop it. Its log is ${join(profileDir, 'logs', 'main.log')}.`;
    expect(first.output()).toContain(appOpens(join(scratch, 'home', '.auth0-cognito-desktop', 'profiles', 'local')));

    // A second device: its own profile dir, the same cloud (the same issuer: the same identities).
    const downloads = release.requests.length;
    const second = npmStart(project, env, ['--profile-dir', join(scratch, 'device-b')]);
    running.push(second);
    const b = await until('the second app', () => [...launches(records).values()].find((launch) => launch.args.includes('--profile-dir')), second);
    expect(b.args).toEqual([project, '--cloud', expect.any(String), '--profile-dir', join(scratch, 'device-b')]);
    expect(b.cloud).toEqual(a!.cloud);
    expect(second.output()).toMatch(/Local cloud: already running \(started by pid \d+\)/);
    expect(second.output()).not.toContain('PORT_IN_USE');
    expect(second.output()).toContain(appOpens(join(scratch, 'device-b')));
    expect(release.requests.length).toBe(downloads); // installed once, for both

    // Closing the first device's app while the second runs keeps the cloud up for the second.
    killGroup(first.child, 'SIGTERM');
    await until('the first command to say it waits', () => (first.output().includes('keeps running for the other app') ? true : undefined), first, { whileRunning: false });
    expect(first.child.exitCode).toBeNull();
    expect((await fetch(new URL('.well-known/openid-configuration', a!.cloud.issuer))).status).toBe(200);
    // DynamoDB Local too: the signal to the first command's process group did not reach it.
    expect(processesMentioning(scratch).filter((line) => line.includes('DynamoDBLocal.jar'))).toHaveLength(1);
    // Then the second closes, and with it the cloud.
    killGroup(second.child, 'SIGTERM');
    expect(await second.exited).toBe(0);
    expect(await first.exited).toBe(0);
    await expect(fetch(new URL('.well-known/openid-configuration', a!.cloud.issuer))).rejects.toThrow();
    expect(processesMentioning(scratch)).toEqual([]);
  }, 240_000);

  test('npm run dist -- --linux dir packs the app with the Electron the installer fetched, through the same mirror', async () => {
    const output = join(scratch, 'dist');
    const started = spawn(
      'npm',
      ['run', '--silent', 'dist', '--', '--linux', 'dir', '--x64', '-c.npmRebuild=false', `-c.directories.output=${output}`],
      { cwd: project, env: { ...env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let printed = '';
    started.stdout!.on('data', (chunk) => (printed += chunk));
    started.stderr!.on('data', (chunk) => (printed += chunk));
    const code = await new Promise((resolve) => started.once('exit', resolve));
    expect(code, printed).toBe(0);
    const unpacked = join(output, 'linux-unpacked');
    expect(existsSync(join(unpacked, 'resources', 'app.asar'))).toBe(true);
    // The packed executable is the stand-in the mirror served, renamed after the product.
    expect(readFileSync(join(unpacked, 'auth0-cognito-desktop'), 'latin1')).toContain('STAND_IN_RECORDS');
  }, 240_000);

  test('with the mirror down: one line saying why, then the browser host', async () => {
    resetElectron(project);
    const down = await serveRelease();
    await down.stop(); // its port now refuses connections
    const started = npmStart(project, { ...env, ELECTRON_MIRROR: down.url, electron_config_cache: join(scratch, 'empty-cache') });
    running.push(started);
    const url = await until('the browser host', () => started.output().match(/\{"url":"(http:\/\/127\.0\.0\.1:\d+\/#token=[^"]+)"\}/)?.[1], started);
    const lines = started.output().split('\n');
    const reason = lines.filter((line) => line.includes('could not be fetched'));
    expect(reason).toEqual([
      expect.stringMatching(
        new RegExp(`^Electron ${version.replaceAll('.', '\\.')} could not be fetched from ${down.url.replaceAll('.', '\\.')} \\(TypeError: fetch failed: ECONNREFUSED [\\d.]+:\\d+\\), so the app starts in the browser host: open the URL it prints\\.$`),
      ),
    ]);
    expect((await fetch(url)).status).toBe(200);
    killGroup(started.child, 'SIGTERM');
    expect(await started.exited).toBe(0);
  }, 180_000);
});
