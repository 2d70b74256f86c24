// scripts/check-node.mjs decides from the version alone whether this Node will do, and names the fix
// that is true on this machine: scripts/node22.sh brings Node 22 on Linux x64 only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { MINIMUM_NODE, oldNodeLine } from '../../scripts/check-node.mjs';

describe('a Node new enough passes without a word', () => {
  test.each(['22.12.0', 'v22.12.0', '22.23.3', '23.11.0', '24.11.1', '25.0.0', process.versions.node])('%s', (version) => {
    expect(oldNodeLine(version, '/usr/bin/node', 'linux', 'x64')).toBeUndefined();
  });

  test('the minimum is the one package.json engines asks for', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(`>=${MINIMUM_NODE}`);
  });
});

describe('an older Node gets one line naming the Node it needs and the command that brings it', () => {
  test('Node 20 on Linux x64: the export PATH line with scripts/node22.sh, for this terminal', () => {
    expect(oldNodeLine('20.20.2', '/usr/bin/node', 'linux', 'x64')).toBe(
      'auth0-cognito-desktop needs Node 22.12 or newer; this terminal runs Node 20.20.2 (/usr/bin/node). ' +
        'Fix it for this terminal: export PATH="$(bash scripts/node22.sh):$PATH", or install Node 22 from nodejs.org.',
    );
  });

  test.each([
    ['18.19.0', 'linux', 'x64', 'scripts/node22.sh'],
    ['12.22.9', 'linux', 'x64', 'scripts/node22.sh'],
    ['v20.11.1', 'linux', 'arm64', 'Install Node 22 from nodejs.org'],
    ['20.11.1', 'darwin', 'arm64', 'brew install node@22'],
    ['20.11.1', 'win32', 'x64', 'winget install OpenJS.NodeJS.LTS'],
    ['22.5.0', 'linux', 'x64', 'Install Node 22.12 or newer from nodejs.org'],
    ['22.11.0', 'darwin', 'x64', 'Install Node 22.12 or newer'],
    ['not-a-version', 'linux', 'x64', 'Install Node 22 from nodejs.org'],
  ])('%s on %s %s → %s', (version, platform, arch, fix) => {
    const line = oldNodeLine(version, '/opt/node/bin/node', platform, arch)!;
    expect(line).toMatch(/^auth0-cognito-desktop needs Node 22\.12 or newer; this terminal runs Node /);
    expect(line).toContain(`Node ${version.replace(/^v/, '')} (/opt/node/bin/node)`);
    expect(line).toContain(fix);
    expect(line).not.toContain('\n');
  });

  test('node22.sh is offered only where it works: Linux x64, and not for a 22 older than 22.12', () => {
    for (const [version, platform, arch] of [
      ['20.11.1', 'linux', 'arm64'],
      ['20.11.1', 'darwin', 'x64'],
      ['20.11.1', 'win32', 'x64'],
      ['22.11.0', 'linux', 'x64'],
    ] as const) {
      expect(oldNodeLine(version, 'node', platform, arch)).not.toContain('node22.sh');
    }
  });
});
