// The command KEYCHAIN_UNAVAILABLE prints when there is no D-Bus session, run as printed (its
// `npm start` swapped for the app's own keychain probe) with a stdin that stays open and says nothing,
// as a terminal nobody types into: it must give a working keychain and end, not wait for a password
// (`gnome-keyring-daemon --unlock` reads one from stdin, so the password has to be piped in).
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { keychainUnavailable } from '../../../../main/platform/keychain/keytar-store';

const repo = join(import.meta.dirname, '../../../..');

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((folder) => {
    try {
      accessSync(join(folder, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const root = mkdtempSync(join(tmpdir(), 'keyring-command-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `sh -c COMMAND` with stdin an open pipe nobody writes to; killed with its process group after 10 s. */
function runInShell(command: string, env: NodeJS.ProcessEnv): Promise<Run> {
  const child = spawn('sh', ['-c', command], { cwd: repo, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const guard = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 10_000);
  return new Promise((done) =>
    child.once('close', (code, signal) => {
      clearTimeout(guard);
      child.stdin.destroy();
      done({ code, signal, stdout, stderr });
    }),
  );
}

// Only where the command's two programs exist (Linux with gnome-keyring and dbus); elsewhere the
// notice names other fixes and there is nothing to run.
test.skipIf(process.platform !== 'linux' || !onPath('dbus-run-session') || !onPath('gnome-keyring-daemon'))(
  'the no-D-Bus notice ends with a command that, pasted into a shell, unlocks a keyring the app can use and does not wait for input',
  async () => {
    const message = keychainUnavailable(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')).message;
    const printed = message.slice(message.indexOf('dbus-run-session -- '));
    expect(printed).toMatch(/ exec npm start'$/);

    // The app's own check that a keychain works: write, read back, delete.
    const probe = join(root, 'probe.mts');
    writeFileSync(
      probe,
      `import { probeKeychain } from ${JSON.stringify(join(repo, 'main/platform/keychain/keytar-store.ts'))};\n` +
        `await probeKeychain('auth0-cognito-desktop-test/keyring-command');\nconsole.log('keychain works');\n`,
    );
    const command = printed.replace(/npm start'$/, `"${process.execPath}" --import tsx "${probe}"'`);

    // A machine with no session bus and nothing of this run's keyring: its own home and runtime dir.
    for (const dir of ['home', 'data', 'runtime']) mkdirSync(join(root, dir), { mode: 0o700 });
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: join(root, 'home'), XDG_DATA_HOME: join(root, 'data'), XDG_RUNTIME_DIR: join(root, 'runtime') };
    delete env.DBUS_SESSION_BUS_ADDRESS;

    const run = await runInShell(command, env);
    expect(run.signal, `still running after 10 s; stderr: ${run.stderr}`).toBeNull();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('keychain works');
  },
  20_000,
);
