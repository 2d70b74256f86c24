// The import rules of docs/architecture.md, checked on every file's import statements, so that a
// rule broken by a change fails `npm test` instead of surfacing in a bundle or a review:
// - only main/index.ts, main/shell/** and main/ipc/electron-transport.ts import electron;
// - nothing under main/, preload/, shared/ or renderer/ imports localcloud/ (it never ships);
// - main/datasets/** does not import main/auth/** (the composition root joins them);
// - shared/ imports nothing of main/, renderer/, preload/ or localcloud/;
// - renderer/ imports nothing of main/, preload/ or localcloud/ (it knows only window.api).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, test } from 'vitest';

const root = join(import.meta.dirname, '../..');

interface Import {
  file: string;
  line: number;
  specifier: string;
  /** The repository path a relative specifier points at (without extension), or the bare package name. */
  target: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx|mts|mjs)$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

// Static imports and re-exports (`import … from`, `export … from`, bare `import '…'`), dynamic
// `import('…')` and `require('…')`. Strings elsewhere (a query text, a log line) are not imports.
const IMPORT = /^\s*(?:import|export)\b[^'"]*?\bfrom\s*(['"])([^'"]+)\1|^\s*import\s*(['"])([^'"]+)\3|\b(?:import|require)\s*\(\s*(['"])([^'"]+)\5\s*\)/gm;

function importsOf(file: string, text = readFileSync(join(root, file), 'utf8')): Import[] {
  const found: Import[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[2] ?? match[4] ?? match[6]!;
    const line = text.slice(0, match.index).split('\n').length;
    const target = specifier.startsWith('.')
      ? normalize(join(dirname(file), specifier)).replace(/\\/g, '/').replace(/\.(ts|tsx|mts|mjs|js)$/, '')
      : specifier.startsWith('@')
        ? specifier.split('/').slice(0, 2).join('/')
        : specifier.split('/')[0]!;
    found.push({ file, line, specifier, target });
  }
  return found;
}

const FOLDERS = ['main', 'preload', 'renderer', 'shared'];
const all = FOLDERS.flatMap(sourceFiles).flatMap((file) => importsOf(file));
const where = (each: Import) => `${each.file}:${each.line} imports '${each.specifier}'`;
const under = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);

/** Each rule: which imports break it. */
const RULES: Record<string, (each: Import) => boolean> = {
  'only main/index.ts, main/shell/** and main/ipc/electron-transport.ts import electron': (each) =>
    each.target === 'electron' &&
    under(each.file, 'main') &&
    !['main/index.ts', 'main/ipc/electron-transport.ts'].includes(each.file) &&
    !under(each.file, 'main/shell'),
  'nothing that ships imports localcloud/': (each) => under(each.target, 'localcloud'),
  'main/datasets/** does not import main/auth/**': (each) => under(each.file, 'main/datasets') && under(each.target, 'main/auth'),
  'shared/ imports nothing of main/, renderer/, preload/ or localcloud/': (each) =>
    under(each.file, 'shared') && ['main', 'renderer', 'preload', 'localcloud'].some((folder) => under(each.target, folder)),
  'renderer/ imports nothing of main/, preload/ or localcloud/': (each) =>
    under(each.file, 'renderer') && ['main', 'preload', 'localcloud'].some((folder) => under(each.target, folder)),
};

describe('the import rules of docs/architecture.md', () => {
  test('the check reads the imports there are (it would see a broken rule)', () => {
    expect(all.length).toBeGreaterThan(300);
    expect(all.some((each) => each.file === 'main/index.ts' && each.target === 'electron')).toBe(true);
    expect(all.some((each) => under(each.file, 'main/datasets') && under(each.target, 'main/aws'))).toBe(true);
  });

  test.each(Object.entries(RULES))('%s', (_rule, breaks) => {
    expect(all.filter(breaks).map(where)).toEqual([]);
  });

  test('each rule catches the import it forbids', () => {
    const samples: [string, string][] = [
      ['main/app.ts', "import { app } from 'electron';"],
      ['main/platform/log.ts', "const { BrowserWindow } = await import('electron/main');"],
      ['main/web-host/start-web-host.ts', "import { startLocalCloud } from '../../localcloud/start-local-cloud';"],
      ['main/datasets/sync/engine.ts', "import type { AuthSession } from '../../auth/session';"],
      ['shared/errors.ts', "export { x } from '../main/platform/log';"],
      ['renderer/src/App.tsx', "import { openDatasetStore } from '../../main/datasets/store/dataset-store';"],
    ];
    for (const [file, text] of samples) {
      const broken = Object.entries(RULES).filter(([, breaks]) => importsOf(file, text).some(breaks));
      expect(broken, `${file}: ${text}`).toHaveLength(1);
    }
  });

  test('query texts and messages that merely contain "from \'…\'" are not imports', () => {
    expect(importsOf('main/x.ts', "const sql = \"SELECT * FROM 'records'\";\nlog.info('moved from \\'electron\\'');")).toEqual([]);
  });
});
