// Every command a person types, run on a Node older than 22 (Debian 12's Node 20 first on PATH, as
// in a new terminal where `export PATH="$(bash scripts/node22.sh):$PATH"` was not run): one line on
// stderr naming Node 22 and the fix, and exit 1 — not a keychain notice, not a segfault in
// better-sqlite3, not silence. And `npm ci` refuses that Node with npm's own EBADENGINE (.npmrc).
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

const repo = join(import.meta.dirname, '../..');

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A folder holding a `node` older than 22 and the `npm` to run with it, searched like `which -a node`. */
function oldNodeFolder(): { folder: string; version: string } | undefined {
  if (process.platform === 'win32') return undefined; // the npm scripts `exec`, which cmd.exe has not
  const folders = [...new Set(['/usr/bin', '/usr/local/bin', ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)])];
  for (const folder of folders) {
    const node = join(folder, 'node');
    if (!executable(node) || !executable(join(folder, 'npm'))) continue;
    const version = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout?.trim() ?? '';
    if (/^\d+\./.test(version) && Number(version.split('.')[0]) < 22) return { folder, version };
  }
  return undefined;
}

const old = oldNodeFolder();
const home = mkdtempSync(join(tmpdir(), 'old-node-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** The environment of a fresh terminal with the old Node first on PATH: none of this run's npm settings. */
function oldNodeEnv(folder: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name) && name !== 'NODE_OPTIONS'));
  return { ...env, PATH: `${folder}${delimiter}${process.env.PATH ?? ''}`, HOME: home, npm_config_update_notifier: 'false' };
}

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** npm as a person runs it; a run that does not end within 30 s is killed with its whole process group. */
function npm(folder: string, args: string[], cwd = repo): Promise<Run> {
  const child = spawn(join(folder, 'npm'), args, { cwd, env: oldNodeEnv(folder), stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const guard = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 30_000);
  return new Promise((done) =>
    child.once('close', (code, signal) => {
      clearTimeout(guard);
      done({ code, signal, stderr });
    }),
  );
}

// GitHub's runners (and any machine with only Node 22+) have no older Node: nothing to run there.
describe.skipIf(old === undefined)(`on Node ${old?.version} (${old?.folder}/node), first on PATH`, () => {
  test.each([
    ['npm start', ['start']],
    ['npm run start:web', ['run', 'start:web']],
    ['npm run localcloud', ['run', 'localcloud', '--', '--in-memory']],
    ['npm run doctor', ['run', 'doctor', '--', '--cloud', 'cloud.json']],
    ['npm run bench', ['run', 'bench', '--', '--quick']],
    ['npm run dist', ['run', 'dist']],
    // A file that does not exist: were the check missing, vitest would find nothing to run and stop.
    ['npm test', ['test', '--', 'test/scripts/no-such-file.test.ts']],
  ])('%s says in one line that it needs Node 22 and how to get it, and exits 1', async (_, args) => {
    const run = await npm(old!.folder, args);
    expect(run.signal).toBeNull();
    expect(run.code, run.stderr).toBe(1);
    const lines = run.stderr.split('\n').filter((line) => line.trim() !== '');
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^auth0-cognito-desktop needs Node 22\\.12 or newer; this terminal runs Node ${old!.version.replaceAll('.', '\\.')} \\(`));
    if (process.platform === 'linux' && process.arch === 'x64') expect(lines[0]).toContain('export PATH="$(bash scripts/node22.sh):$PATH"');
    else expect(lines[0]).toContain('nodejs.org');
  });

  test('npm ci refuses it with EBADENGINE before installing anything', async () => {
    // On a copy of what npm ci reads, so this repo's node_modules is never touched.
    const copy = mkdtempSync(join(home, 'ci-'));
    for (const file of ['package.json', 'package-lock.json', '.npmrc']) copyFileSync(join(repo, file), join(copy, file));
    const run = await npm(old!.folder, ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'], copy);
    expect(run.signal).toBeNull();
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('EBADENGINE');
    expect(run.stderr).toMatch(/Required: \{"node":">=22\.12"\}/);
  });
});
