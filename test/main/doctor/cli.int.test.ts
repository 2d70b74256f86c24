// `npm run doctor -- --cloud FILE [--profile-dir DIR]` as a person runs it, against localcloud: one
// line per check, ✓ / ✗ / skipped, and the exit code scripts rely on.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../../localcloud/start-local-cloud';
import type { CloudProfile } from '../../../shared/cloud-profile';
import { launchSystemBrowser, logInAndReturn } from '../../support/system-browser';
import { newProfileDir, profileFor, startTestApp } from '../../support/test-app';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CHECKS = ['profile', 'issuer discovery', 'PKCE', 'ID token signing', 'refresh tokens', 'Cognito pool', 'DynamoDB endpoint', 'session', 'Cognito sign-in', 'table', 'isolation', 'push'];
const NO_PROFILE_DIR = 'skipped (no --profile-dir: sign in with the app first, then pass its profile dir)';

let root: string;
let cloud: LocalCloud;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'doctor-int-'));
  // ID tokens shorter-lived than the app's 5-minute refresh margin: every restore must refresh.
  cloud = await startLocalCloud({ inMemory: true, idTokenTtlSeconds: 240 });
});

afterAll(async () => {
  await cloud?.stop();
  await rm(root, { recursive: true, force: true });
});

interface DoctorRun {
  code: number | null;
  lines: string[];
  stderr: string;
}

/** The README's command, as a user types it. */
function doctor(args: string[], env: NodeJS.ProcessEnv = {}): Promise<DoctorRun> {
  const child = spawn('npm', ['run', '--silent', 'doctor', '--', ...args], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const guard = setTimeout(() => child.kill('SIGKILL'), 50_000);
  return new Promise((done) =>
    child.once('close', (code) => {
      clearTimeout(guard);
      done({ code, lines: stdout.split('\n').filter((line) => line !== ''), stderr });
    }),
  );
}

async function profileFile(name: string, overrides: Partial<CloudProfile> = {}): Promise<string> {
  const file = join(root, `${name}.json`);
  // As npm run localcloud prints it: with the Events API.
  await writeFile(file, JSON.stringify(profileFor(cloud, { eventsHttpEndpoint: cloud.eventsHttpEndpoint, eventsRealtimeEndpoint: cloud.eventsRealtimeEndpoint, ...overrides })));
  return file;
}

/** The line of one check (failing the test if the check printed none, or more than one). */
function lineOf(run: DoctorRun, check: string): string {
  const found = run.lines.filter((line) => line.slice(2).startsWith(`${check}: `));
  expect(found, `${check} in ${run.lines.join('\n')}`).toHaveLength(1);
  return found[0]!;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

test('a working profile passes every check it can run; the signed-in ones wait for a profile dir', async () => {
  const run = await doctor(['--cloud', await profileFile('good')]);
  expect(run.lines.map((line) => line.slice(2, line.indexOf(':')))).toEqual(CHECKS);
  for (const check of CHECKS.slice(0, 7)) expect(lineOf(run, check)).toMatch(new RegExp(`^✓ ${check}: \\S`));
  for (const check of CHECKS.slice(7)) expect(lineOf(run, check)).toBe(`- ${check}: ${NO_PROFILE_DIR}`);
  expect(lineOf(run, 'Cognito pool')).toContain('guest access is off');
  expect(run.code).toBe(0);
});

describe('with a profile dir the app signed in on', () => {
  let profileDir: string;

  beforeAll(async () => {
    profileDir = await newProfileDir(root);
    const app = await startTestApp(profileDir, profileFor(cloud));
    const browser = await launchSystemBrowser();
    try {
      app.platform.onOpen = async (url) => void (await logInAndReturn(browser, url, cloud.users[0]!));
      await app.session.signIn();
      await app.platform.browserSettled();
    } finally {
      app.close();
      await browser.close();
    }
  });

  test('all twelve checks pass, the session restored and refreshed without a browser', async () => {
    const run = await doctor(['--cloud', await profileFile('signed-in'), '--profile-dir', profileDir]);
    expect(run.lines, run.stderr).toHaveLength(12);
    for (const check of CHECKS) expect(lineOf(run, check)).toMatch(new RegExp(`^✓ ${check}: `));
    expect(lineOf(run, 'session')).toContain(cloud.users[0]!.username);
    expect(lineOf(run, 'session')).toContain('refreshed');
    expect(lineOf(run, 'Cognito sign-in')).toMatch(/identity us-east-1:[0-9a-f-]{36}/);
    expect(lineOf(run, 'table')).toContain('bySyncKey');
    expect(lineOf(run, 'isolation')).toContain('refused (AccessDenied)');
    expect(lineOf(run, 'push')).toMatch(/subscribed to \/sync\/[0-9a-f-]{36}; another identity's channel and \/sync\/\* are refused/);
    expect(run.code).toBe(0);
  });

  test('the refresh the doctor did is kept: the app (and the doctor) can restore the session again', async () => {
    const again = await doctor(['--cloud', await profileFile('signed-in-again'), '--profile-dir', profileDir]);
    expect(lineOf(again, 'session')).toMatch(/^✓ session: /);
    expect(again.code).toBe(0);

    const app = await startTestApp(profileDir, profileFor(cloud));
    try {
      expect((await app.session.restore()).state).toBe('signedIn');
      await expect(app.credentials.get()).resolves.toMatchObject({ identityId: expect.stringMatching(/^us-east-1:/) });
    } finally {
      app.close();
    }
  });

  test('an unknown pool fails the pool check and skips the Cognito sign-in that needs it', async () => {
    const identityPoolId = 'us-east-1:00000000-0000-0000-0000-000000000000';
    const run = await doctor(['--cloud', await profileFile('unknown-pool-signed-in', { identityPoolId }), '--profile-dir', profileDir]);
    expect(lineOf(run, 'session')).toMatch(/^✓ session: /);
    expect(lineOf(run, 'Cognito sign-in')).toBe('- Cognito sign-in: skipped (Cognito pool failed)');
    expect(lineOf(run, 'table')).toBe('- table: skipped (Cognito pool failed)');
    expect(lineOf(run, 'isolation')).toBe('- isolation: skipped (Cognito pool failed)');
    expect(lineOf(run, 'push')).toBe('- push: skipped (Cognito pool failed)');
    expect(run.code).toBe(1);
  });
});

test('a profile dir nobody signed in on fails the session check and says to sign in first', async () => {
  const run = await doctor(['--cloud', await profileFile('nobody'), '--profile-dir', await newProfileDir(root)]);
  expect(lineOf(run, 'session')).toMatch(/^✗ session: .*no signed-in session for .*Sign in with the app/);
  expect(lineOf(run, 'Cognito sign-in')).toBe('- Cognito sign-in: skipped (session failed)');
  expect(run.code).toBe(1);
});

test.skipIf(process.platform !== 'linux')('without a D-Bus session the session check says so in the doctor\'s words: run the doctor where the app runs, not restart the app', async () => {
  const run = await doctor(['--cloud', await profileFile('no-dbus'), '--profile-dir', await newProfileDir(root)], {
    DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/no-dbus-here',
  });
  const line = lineOf(run, 'session');
  expect(line).toMatch(/^✗ session: The system keychain can't be used, so the doctor cannot read the session the app keeps there\. There is no D-Bus session/);
  expect(line).toContain('Run the doctor where the app runs');
  expect(line).toMatch(/exec npm run doctor -- --cloud FILE --profile-dir DIR'$/);
  expect(line).not.toMatch(/restart the app|until the app closes/);
  expect(lineOf(run, 'Cognito sign-in')).toBe('- Cognito sign-in: skipped (session failed)');
  expect(run.code).toBe(1);
});

test('an issuer without its trailing slash fails discovery, naming the exact issuer to use', async () => {
  const run = await doctor(['--cloud', await profileFile('no-slash', { issuer: cloud.issuer.replace(/\/$/, '') })]);
  expect(lineOf(run, 'issuer discovery')).toMatch(/^✗ issuer discovery: /);
  expect(lineOf(run, 'issuer discovery')).toContain(`exactly "${cloud.issuer}"`);
  for (const check of ['PKCE', 'ID token signing', 'refresh tokens']) expect(lineOf(run, check)).toBe(`- ${check}: skipped (issuer discovery failed)`);
  expect(lineOf(run, 'Cognito pool')).toMatch(/^✓/);
  expect(run.code).toBe(1);
});

test('an identity pool that does not exist fails the pool check, naming the pool', async () => {
  const identityPoolId = 'us-east-1:0000abcd-0000-0000-0000-000000000000';
  const run = await doctor(['--cloud', await profileFile('unknown-pool', { identityPoolId })]);
  expect(lineOf(run, 'Cognito pool')).toMatch(new RegExp(`^✗ Cognito pool: .*${identityPoolId}.*does not exist`));
  expect(lineOf(run, 'DynamoDB endpoint')).toMatch(/^✓/);
  expect(run.code).toBe(1);
});

test('a DynamoDB endpoint nobody listens on fails the endpoint check, naming it', async () => {
  const port = await closedPort();
  const run = await doctor(['--cloud', await profileFile('closed-dynamodb', { dynamodbEndpoint: `http://127.0.0.1:${port}` })]);
  expect(lineOf(run, 'DynamoDB endpoint')).toMatch(new RegExp(`^✗ DynamoDB endpoint: Can't reach DynamoDB at http://127\\.0\\.0\\.1:${port}`));
  expect(lineOf(run, 'Cognito pool')).toMatch(/^✓/);
  expect(run.code).toBe(1);
});

test('a file that is not JSON fails the profile check and skips everything else', async () => {
  const file = join(root, 'broken.json');
  await writeFile(file, '{"issuer": ');
  const run = await doctor(['--cloud', file]);
  expect(run.lines).toHaveLength(12);
  expect(lineOf(run, 'profile')).toMatch(/^✗ profile: .*not JSON/);
  for (const check of CHECKS.slice(1)) expect(lineOf(run, check)).toBe(`- ${check}: skipped (profile failed)`);
  expect(run.code).toBe(1);
});

test('a profile file that does not exist fails the profile check, naming the path', async () => {
  const file = join(root, 'nowhere.json');
  const run = await doctor(['--cloud', file]);
  expect(lineOf(run, 'profile')).toBe(`✗ profile: Cannot read the cloud profile ${file} (ENOENT). Check the path.`);
  expect(run.code).toBe(1);
});

test('an unknown option prints the usage and exits 1 without checking anything', async () => {
  const run = await doctor(['--cloud', await profileFile('usage'), '--verbose']);
  expect(run.lines).toEqual([]);
  expect(run.stderr).toContain("Unknown option '--verbose'");
  expect(run.stderr).toContain('Usage: npm run doctor -- --cloud FILE [--profile-dir DIR]');
  expect(run.code).toBe(1);
});
