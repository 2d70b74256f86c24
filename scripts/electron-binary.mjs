// The Electron binary for the development commands (npm start, npm run dist, the Electron e2e test).
//
// Since Electron 42 `npm ci` no longer downloads the binary (there is no postinstall): the package's
// own installer (`install.js`, also `npx install-electron`) fetches it on first use. `electronBinary`
// only looks; `ensureElectron` runs that installer when the binary is missing — in a child process,
// with the user's environment, so the installer's own settings apply unchanged (ELECTRON_MIRROR or
// npm's electron_mirror for a company mirror, electron_config_cache, electron_use_remote_checksums,
// ELECTRON_GET_USE_PROXY…) — saying what it does while it waits, for a bounded time. It never
// downloads when ELECTRON_SKIP_BINARY_DOWNLOAD is set.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** How long the installer may take, unless ELECTRON_FETCH_TIMEOUT_SECONDS says otherwise. */
export const DEFAULT_FETCH_TIMEOUT_SECONDS = 600;

function electronPackageDir() {
  try {
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

/** The Electron executable's path, or undefined where it was never downloaded. Never downloads. */
export function electronBinary() {
  const packageDir = electronPackageDir();
  if (packageDir === undefined) return undefined;
  const pathFile = join(packageDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, 'dist');
  const binary = join(distDir, executable ?? 'electron');
  return executable !== undefined || process.env.ELECTRON_OVERRIDE_DIST_PATH ? (existsSync(binary) ? binary : undefined) : undefined;
}

/** True for the values npm and @electron/get treat as "set" (1, true…), false for unset, 0, false. */
function isSet(value) {
  return value !== undefined && value !== '' && !/^(0|false|no)$/i.test(value);
}

/** Where the installer downloads from, the way @electron/get picks its mirror (npm config, then env). */
export function electronSource(env = process.env) {
  const mirror =
    env.npm_config_electron_mirror ??
    env.NPM_CONFIG_ELECTRON_MIRROR ??
    env.npm_package_config_electron_mirror ??
    env.ELECTRON_MIRROR;
  return mirror ? mirror : 'https://github.com/electron/electron/releases/download/';
}

/** The first line of what the installer printed that says what went wrong. */
export function installerReason(stderr) {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('at ') && !/^Downloading /.test(line));
  return lines.find((line) => /error|failed|refused|denied|not found|mismatch|ENOTFOUND|ECONN|ETIMEDOUT/i.test(line)) ?? lines[0] ?? 'it printed nothing';
}

/** For undici's bare "fetch failed": what the network said when asked the same host. */
async function whyFetchFailed(source) {
  try {
    await fetch(source, { method: 'HEAD', signal: AbortSignal.timeout(5_000) });
    return undefined;
  } catch (error) {
    if (error?.name === 'TimeoutError') return 'no answer within 5 s';
    const cause = error?.cause;
    if (cause?.code) return `${cause.code}${cause.address ? ` ${cause.address}${cause.port ? `:${cause.port}` : ''}` : ''}`;
    return cause?.message;
  }
}

/**
 * The Electron binary, fetched with Electron's own installer when it is missing. Resolves with
 * `{ binary }`, or `{ reason }`: one sentence saying why there is none (for the caller's one line).
 * `say` hears what is happening (stderr by default); the wait is bounded.
 */
export async function ensureElectron(options = {}) {
  const env = options.env ?? process.env;
  const say = options.say ?? ((line) => process.stderr.write(`${line}\n`));
  const existing = electronBinary();
  if (existing !== undefined) return { binary: existing };
  const packageDir = electronPackageDir();
  if (packageDir === undefined) return { reason: 'the electron package is not installed (run npm ci)' };
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  if (isSet(env.ELECTRON_SKIP_BINARY_DOWNLOAD)) {
    return { reason: `Electron ${version} is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD=${env.ELECTRON_SKIP_BINARY_DOWNLOAD} says not to fetch it` };
  }
  const seconds = options.timeoutSeconds ?? (Number(env.ELECTRON_FETCH_TIMEOUT_SECONDS) || DEFAULT_FETCH_TIMEOUT_SECONDS);
  const source = electronSource(env);
  say(`Electron ${version} is not installed yet: fetching it once from ${source} (up to ${seconds} s; ELECTRON_SKIP_BINARY_DOWNLOAD=1 skips this)…`);

  const started = Date.now();
  const child = spawn(process.execPath, [join(packageDir, 'install.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const heartbeat = setInterval(() => say(`…still fetching Electron ${version} (${Math.round((Date.now() - started) / 1000)} s)`), options.heartbeatMs ?? 10_000);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 2_000).unref();
  }, seconds * 1000);
  const code = await new Promise((resolve) => {
    child.once('error', () => resolve(-1));
    child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 1 : 0)));
  });
  clearInterval(heartbeat);
  clearTimeout(timer);

  const binary = electronBinary();
  if (code === 0 && binary !== undefined) {
    say(`Electron ${version} is installed (${Math.round((Date.now() - started) / 100) / 10} s).`);
    return { binary };
  }
  if (timedOut) return { reason: `fetching Electron ${version} from ${source} took longer than ${seconds} s (ELECTRON_FETCH_TIMEOUT_SECONDS sets the limit)` };
  let reason = installerReason(output);
  if (/fetch failed/i.test(reason)) {
    const why = await whyFetchFailed(source);
    if (why !== undefined) reason = `${reason}: ${why}`;
  }
  return { reason: `Electron ${version} could not be fetched from ${source} (${reason})` };
}
