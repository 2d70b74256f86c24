// Every command a person runs answers --help with its usage on stdout and exit 0, starting nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, test } from 'vitest';

describe('--help on each command prints its usage and exits 0', () => {
  test.each([
    ['start', 'Usage: npm start -- [--profile-dir DIR] [--cloud FILE]'],
    ['start:web', 'Usage: npm run start:web -- [--profile-dir DIR] [--cloud FILE]'],
    ['localcloud', 'Usage: npm run localcloud -- [--data-dir DIR] [--in-memory]'],
    ['doctor', 'Usage: npm run doctor -- --cloud FILE [--profile-dir DIR]'],
    ['dist', 'Usage: npm run dist -- [ELECTRON_BUILDER_ARGS...]'],
  ])('npm run %s -- --help', (script, usage) => {
    const run = spawnSync('npm', ['run', '--silent', script, '--', '--help'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(usage);
    expect(run.stdout).toContain('--help');
    expect(run.stderr).toBe('');
  });
});

describe('npm test -- --help', () => {
  test('prints vitest\'s help at once: no type-check, no build, no test run', () => {
    // An npx in front of the real one records what the script asks of it.
    const shims = mkdtempSync(join(tmpdir(), 'npm-test-help-'));
    try {
      const realNpx = spawnSync('sh', ['-c', 'command -v npx'], { encoding: 'utf8' }).stdout.trim();
      const calls = join(shims, 'calls');
      writeFileSync(join(shims, 'npx'), `#!/bin/sh\necho "$*" >> '${calls}'\nexec '${realNpx}' "$@"\n`, { mode: 0o755 });
      // Without the SKIP_* switches this run may have been started with: --help alone must skip both.
      const { SKIP_TYPECHECK: _typecheck, SKIP_BUILD: _build, ...inherited } = process.env;
      const run = spawnSync('npm', ['test', '--silent', '--', '--help'], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...inherited, PATH: `${shims}${delimiter}${process.env.PATH ?? ''}` },
      });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout.split('\n')[0]).toBe('Usage: npm test -- [FILE|FOLDER...] [vitest options]');
      expect(run.stdout).toContain('SKIP_TYPECHECK=1');
      expect(run.stdout).toMatch(/^vitest\/\d/m);
      expect(run.stdout).toContain('$ vitest run [...filters]');
      expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual(['vitest run --help']);
    } finally {
      rmSync(shims, { recursive: true, force: true });
    }
  });
});
