import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { cloudProfileSchema } from '../../shared/cloud-profile';
import { killGroup, processesMentioning } from '../support/processes';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'localcloud-cli-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const lineSchema = cloudProfileSchema.extend({
  users: z.array(z.object({ username: z.string(), password: z.string().min(16) })).min(1),
});

function runLocalCloud(args: string[]) {
  // The README's command, as a user types it.
  const child = spawn('npm', ['run', '--silent', 'localcloud', '--', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const firstLine = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`exited ${code} before printing: ${stderr}`)));
  });
  firstLine.catch(() => undefined); // tests that expect a failure await `exited` instead
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, firstLine, exited, stderr: () => stderr };
}

describe('npm run localcloud', () => {
  test('prints one JSON cloud profile within 30 s, then exits 0 on SIGTERM leaving no process behind', async () => {
    const dataDir = tempDir();
    const run = runLocalCloud(['--data-dir', dataDir]);
    try {
      const started = Date.now();
      const line = await run.firstLine;
      expect(Date.now() - started).toBeLessThan(30_000);
      const description = lineSchema.parse(JSON.parse(line));
      expect(description.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(description.eventsRealtimeEndpoint).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/event\/realtime$/);
      const discovery = await fetch(`${description.issuer}.well-known/openid-configuration`);
      expect(discovery.status).toBe(200);
      expect(processesMentioning(dataDir).some((line) => line.includes('DynamoDBLocal.jar'))).toBe(true);

      run.child.kill('SIGTERM'); // to npm alone, as a supervisor would
      expect(await run.exited).toBe(0);
      expect(processesMentioning(dataDir)).toEqual([]);
      await expect(fetch(`${description.issuer}.well-known/openid-configuration`)).rejects.toThrow();
    } finally {
      killGroup(run.child);
    }
  }, 60_000);

  test('a second command on the same data dir joins the running cloud (another device), and the first stops only after it', async () => {
    const dataDir = tempDir();
    const first = runLocalCloud(['--data-dir', dataDir]);
    const second = runLocalCloud(['--data-dir', dataDir]);
    try {
      const [a, b] = await Promise.all([first.firstLine, second.firstLine]);
      // The same issuer and endpoints: one cloud, one identity per user, whichever started it.
      expect(lineSchema.parse(JSON.parse(b))).toEqual(lineSchema.parse(JSON.parse(a)));
      expect([first.stderr(), second.stderr()].filter((text) => text.includes('already running'))).toHaveLength(1);
      expect(processesMentioning(dataDir).filter((line) => line.includes('DynamoDBLocal.jar'))).toHaveLength(1);
      const { issuer } = JSON.parse(a) as { issuer: string };
      const owner = first.stderr().includes('already running') ? second : first;
      const joiner = owner === first ? second : first;

      owner.child.kill('SIGTERM');
      await expect.poll(() => owner.stderr(), { timeout: 10_000 }).toContain('keeps running for the other app');
      expect((await fetch(`${issuer}.well-known/openid-configuration`)).status).toBe(200);
      joiner.child.kill('SIGTERM');
      expect(await joiner.exited).toBe(0);
      expect(await owner.exited).toBe(0);
      expect(processesMentioning(dataDir)).toEqual([]);
      await expect(fetch(`${issuer}.well-known/openid-configuration`)).rejects.toThrow();
    } finally {
      killGroup(first.child);
      killGroup(second.child);
    }
  }, 90_000);

  test('runs with --in-memory', async () => {
    const run = runLocalCloud(['--in-memory']);
    try {
      lineSchema.parse(JSON.parse(await run.firstLine));
      run.child.kill('SIGINT');
      expect(await run.exited).toBe(0);
    } finally {
      killGroup(run.child);
    }
  }, 60_000);

  test('a kept port that is now taken is a one-line error naming the fix, never a new issuer', async () => {
    const dataDir = tempDir();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    writeFileSync(join(dataDir, 'ports.json'), JSON.stringify({ idp: port }));
    const run = runLocalCloud(['--data-dir', dataDir]);
    try {
      expect(await run.exited).toBe(1);
      const lines = run.stderr().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('PORT_IN_USE');
      expect(lines[0]).toContain(String(port));
      expect(processesMentioning(dataDir)).toEqual([]);
    } finally {
      blocker.close();
      killGroup(run.child);
    }
  }, 60_000);

  test('a --data-dir that is a file is one line with DATA_DIR_UNUSABLE and the fix, and starts nothing', async () => {
    const file = join(tempDir(), 'cloud.json');
    writeFileSync(file, '{}');
    const run = runLocalCloud(['--data-dir', file]);
    try {
      expect(await run.exited).toBe(1);
      expect(run.stderr().trim().split('\n')).toEqual([
        `localcloud: DATA_DIR_UNUSABLE: The local cloud's data dir ${file} is a file, not a folder. Move that file away, or choose another folder with --data-dir DIR (it is created when missing).`,
      ]);
      expect(processesMentioning(file)).toEqual([]);
    } finally {
      killGroup(run.child);
    }
  }, 30_000);

  test('--in-memory together with --data-dir is refused in one line before anything starts', async () => {
    const dataDir = join(tempDir(), 'never-made');
    const run = runLocalCloud(['--in-memory', '--data-dir', dataDir]);
    try {
      expect(await run.exited).toBe(1);
      expect(run.stderr().trim().split('\n')).toEqual([
        'localcloud: BAD_OPTION: --in-memory keeps nothing and --data-dir keeps the cloud in a folder: give one of them, not both.',
      ]);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      killGroup(run.child);
    }
  }, 30_000);

  test('an unknown option is refused with the usage line', async () => {
    const run = runLocalCloud(['--bogus']);
    try {
      expect(await run.exited).toBe(1);
      expect(run.stderr()).toContain('Usage: npm run localcloud -- [--data-dir DIR] [--in-memory]');
    } finally {
      killGroup(run.child);
    }
  }, 30_000);
});
