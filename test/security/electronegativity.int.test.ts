// Security gate: @doyensec/electronegativity on the sources of the three processes. It exits 0
// whatever it finds, so its SARIF report is read here: every finding must be on the allow-list, with
// the reason it does not apply (the README repeats them). It scans sources, not bundles, because it
// misses patterns in bundled code; the window's webPreferences are also checked at run time (e2e).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const root = join(import.meta.dirname, '../..');
const CANARY = 'canary/insecure-window.js';

interface Finding {
  rule: string;
  file: string;
  line: number;
  message: string;
}
interface Allowed {
  rule: string;
  file: string;
  reason: string;
}
interface Sarif {
  runs: { results: { ruleId: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine?: number } } }[] }[] }[];
}

const allowList = (JSON.parse(readFileSync(join(import.meta.dirname, 'electronegativity-allowlist.json'), 'utf8')) as { findings: Allowed[] }).findings;
const isAllowed = (finding: Finding) => allowList.some((entry) => entry.rule === finding.rule && entry.file === finding.file);

describe('electronegativity on main/, preload/ and renderer/', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'electronegativity-'));
  let findings: Finding[];

  beforeAll(() => {
    // One scan of the three folders, with paths in the report as they are in the repository.
    const sources = join(scratch, 'src');
    for (const folder of ['main', 'preload', 'renderer']) cpSync(join(root, folder), join(sources, folder), { recursive: true });
    // A window the tool must flag, so a scan that silently parses nothing cannot pass.
    mkdirSync(join(sources, 'canary'));
    writeFileSync(join(sources, CANARY), "const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { contextIsolation: false } });\n");
    const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
    const report = join(scratch, 'report.sarif');
    const run = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules/@doyensec/electronegativity/dist/index.js'),
        '-i', sources,
        // The one check that asks the network (for Electron's release notes).
        '-x', 'AvailableSecurityFixesGlobalCheck',
        // Judge the defaults of the Electron this app ships, not the tool's guess of v0.1.0.
        '-e', electronVersion,
        '-r',
        '-o', report,
      ],
      { cwd: scratch, encoding: 'utf8' },
    );
    if (run.status !== 0) throw new Error(`electronegativity failed:\n${run.stdout}\n${run.stderr}`);
    const sarif = JSON.parse(readFileSync(report, 'utf8')) as Sarif;
    findings = sarif.runs.flatMap((sarifRun) =>
      sarifRun.results.map((result) => {
        const location = result.locations[0]!.physicalLocation;
        return { rule: result.ruleId, file: location.artifactLocation.uri.split('\\').join('/'), line: location.region?.startLine ?? 0, message: result.message.text };
      }),
    );
  }, 120_000);

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  test('the scan sees a window without context isolation (the canary)', () => {
    expect(findings).toContainEqual(expect.objectContaining({ rule: 'CONTEXT_ISOLATION_JS_CHECK', file: CANARY }));
  });

  test('every finding in the app is on the allow-list, with its reason', () => {
    const app = findings.filter((finding) => finding.file !== CANARY);
    expect(app.filter((finding) => !isAllowed(finding))).toEqual([]);
  });

  test('every allow-list entry still matches a finding and says why it does not apply', () => {
    for (const entry of allowList) {
      expect(entry.reason.length, `${entry.rule} in ${entry.file}`).toBeGreaterThan(40);
      expect(findings.some((finding) => finding.rule === entry.rule && finding.file === entry.file), `${entry.rule} in ${entry.file} no longer found`).toBe(true);
    }
  });
});
