// The pieces of scripts/electron-binary.mjs that decide what a user is told; the whole fetch runs
// against a stand-in release in test/scripts/electron-fetch.int.test.ts.
import { createServer } from 'node:net';
import { describe, expect, test } from 'vitest';
import { electronSource, ensureElectron, installerReason } from '../../scripts/electron-binary.mjs';
import { electronBinary } from '../support/electron-binary';

describe('where the installer downloads from', () => {
  test('GitHub by default', () => {
    expect(electronSource({})).toBe('https://github.com/electron/electron/releases/download/');
  });

  test('a mirror from the environment, or from npm config (an .npmrc), which wins as in @electron/get', () => {
    expect(electronSource({ ELECTRON_MIRROR: 'https://mirror.example/electron/' })).toBe('https://mirror.example/electron/');
    expect(electronSource({ ELECTRON_MIRROR: 'https://env.example/', npm_config_electron_mirror: 'https://npmrc.example/' })).toBe('https://npmrc.example/');
  });
});

describe('the installer’s own reason, in one line', () => {
  test('an HTTP error names the status and the URL', () => {
    const stderr = `HTTPError: Response code 404 (Not Found) for http://127.0.0.1:9/v45.5.0/electron-v45.5.0-linux-x64.zip
    at FetchDownloader.download (file:///x/FetchDownloader.js:48:23)
    at async file:///x/index.js:158:9`;
    expect(installerReason(stderr)).toBe('HTTPError: Response code 404 (Not Found) for http://127.0.0.1:9/v45.5.0/electron-v45.5.0-linux-x64.zip');
  });

  test('a checksum mismatch, after a progress line', () => {
    const stderr = 'Downloading electron-v45.5.0-linux-x64.zip: [====] 100%\nError: Generated checksum for "electron-v45.5.0-linux-x64.zip" did not match expected checksum.\n    at validateArtifact (x.js:1:1)';
    expect(installerReason(stderr)).toBe('Error: Generated checksum for "electron-v45.5.0-linux-x64.zip" did not match expected checksum.');
  });

  test('nothing printed at all', () => {
    expect(installerReason('')).toBe('it printed nothing');
  });
});

describe.skipIf(electronBinary() !== undefined)('with ELECTRON_SKIP_BINARY_DOWNLOAD', () => {
  test('nothing is fetched and the reason names the variable', async () => {
    const said: string[] = [];
    const result = await ensureElectron({ env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, say: (line) => said.push(line) });
    expect(result.binary).toBeUndefined();
    expect(result.reason).toMatch(/^Electron [\d.]+ is not installed and ELECTRON_SKIP_BINARY_DOWNLOAD=1 says not to fetch it$/);
    expect(said).toEqual([]);
  });

  test('"0" and "false" do not count as set: the installer runs (here against a closed port)', async () => {
    const port = await closedPort();
    const said: string[] = [];
    const env = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: 'false', ELECTRON_MIRROR: `http://127.0.0.1:${port}/`, electron_use_remote_checksums: '1' };
    const result = await ensureElectron({ env, say: (line) => said.push(line), timeoutSeconds: 60 });
    expect(said[0]).toMatch(new RegExp(`^Electron [\\d.]+ is not installed yet: fetching it once from http://127\\.0\\.0\\.1:${port}/ \\(up to 60 s`));
    expect(result.reason).toMatch(new RegExp(`could not be fetched from http://127\\.0\\.0\\.1:${port}/ \\(TypeError: fetch failed: ECONNREFUSED 127\\.0\\.0\\.1:${port}\\)$`));
  });
});

/** A loopback port nothing listens on (taken, then given back). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
