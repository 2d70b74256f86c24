// What `npm run build` (electron-vite: main, preload, renderer) puts in out/ — read as files, since
// the Electron binary that would run them cannot be installed here. npm test builds first.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';

const root = join(import.meta.dirname, '../..');
const out = join(root, 'out');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function filesUnder(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => join(entry.parentPath, entry.name));
}

function read(files: string[]): string {
  return files.map((file) => readFileSync(file, 'utf8')).join('\n');
}

/** Every module specifier a bundle loads: static and dynamic imports, and require() calls. */
function specifiers(code: string): string[] {
  const found = new Set<string>();
  // Import statements start a line in bundled output; `from "…"` inside a string (a query) is not one.
  for (const pattern of [/^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/gm, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g, /^\s*import\s*["']([^"']+)["']/gm]) {
    for (const match of code.matchAll(pattern)) found.add(match[1]!);
  }
  return [...found];
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!);

beforeAll(() => {
  if (!existsSync(join(out, 'main', 'index.js'))) throw new Error('out/ is missing: run `npm run build` (npm test does it first)');
});

describe('the main bundle is the shipped main process and nothing else', () => {
  test('it loads only Node built-ins, electron and production dependencies', () => {
    const code = read(filesUnder(join(out, 'main'), '.js'));
    const external = specifiers(code).filter((specifier) => !specifier.startsWith('.') && !isBuiltin(specifier));
    expect(external.length).toBeGreaterThan(0);
    for (const specifier of external) {
      expect(['electron', ...Object.keys(pkg.dependencies)], `main bundle loads ${specifier}`).toContain(packageOf(specifier));
    }
  });

  test('it holds no local cloud and no development dependency', () => {
    const code = read(filesUnder(join(out, 'main'), '.js'));
    for (const marker of ['localcloud/', 'startLocalCloud', 'DynamoDBLocal', 'oidc-provider', 'LoopbackDynamoDbLocal', 'demo users']) {
      expect(code, `main bundle mentions ${marker}`).not.toContain(marker);
    }
    for (const dev of Object.keys(pkg.devDependencies)) {
      if (dev === 'electron') continue;
      expect(specifiers(code).map(packageOf), `main bundle loads the devDependency ${dev}`).not.toContain(dev);
    }
    // Bundled-in code of a devDependency leaves a path comment behind (e.g. `// node_modules/koa/…`).
    expect(code).not.toMatch(/node_modules\//);
  });
});

describe('the preload exposes exactly window.api', () => {
  test('it is CommonJS (a sandboxed preload cannot be an ES module) and loads only electron', () => {
    const files = readdirSync(join(out, 'preload'));
    expect(files).toEqual(['index.cjs']);
    const code = readFileSync(join(out, 'preload', 'index.cjs'), 'utf8');
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(specifiers(code)).toEqual(['electron']);
  });

  test('it exposes one key, api, and hands the page no ipcRenderer', () => {
    const code = readFileSync(join(out, 'preload', 'index.cjs'), 'utf8');
    expect([...code.matchAll(/exposeInMainWorld\(\s*["'](\w+)["']/g)].map((match) => match[1])).toEqual(['api']);
    expect(code).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*[,)]/);
  });
});

describe('the renderer bundle is a web page: no Node, no AWS SDK, no secret', () => {
  const code = () => read([...filesUnder(join(out, 'renderer'), '.js'), ...filesUnder(join(out, 'renderer'), '.html')]);

  test('it loads no Node built-in and calls no require', () => {
    const text = code();
    expect(specifiers(text).filter(isBuiltin)).toEqual([]);
    expect(text).not.toMatch(/\brequire\s*\(\s*["']/);
    expect(text).not.toMatch(/["']node:[a-z]/);
  });

  test('it holds no AWS SDK and no credentials or tokens', () => {
    const text = code();
    for (const marker of ['@aws-sdk', 'SignatureV4', 'CognitoIdentityClient', 'DynamoDBClient', 'keytar', 'better-sqlite3', 'openid-client']) {
      expect(text, `renderer bundle mentions ${marker}`).not.toContain(marker);
    }
    expect(text).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]+/); // a JWT
    expect(text).not.toMatch(/\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/); // an AWS access key ID
  });

  test('index.html loads its scripts and styles from the app itself', () => {
    const html = readFileSync(join(out, 'renderer', 'index.html'), 'utf8');
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(source, source).toMatch(/^\.\/assets\//);
  });
});
