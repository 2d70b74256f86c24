// Every command a person runs answers --help with its usage on stdout and exit 0, starting nothing.
import { spawnSync } from 'node:child_process';
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
