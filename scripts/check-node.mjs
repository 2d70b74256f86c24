#!/usr/bin/env node
// Run before every entry point (`node scripts/check-node.mjs && exec node …` in package.json, and at
// the top of test/run-all.sh): on a Node older than the project needs it says so in one line, with
// the command that fixes it, and exits 1. Without it an old Node fails obscurely further on —
// better-sqlite3 segfaults on Node 20, tsx or a dependency throws. It runs as its own process,
// before tsx or any dependency is loaded, and keeps to syntax that even very old Nodes parse (no
// `?.` or `??`, no imports), because those are the Nodes it has to speak to; a `node --import`
// hook would not do, as Nodes older than 20.6 reject `--import` itself.

/** The oldest Node the project runs on; package.json's `engines` says the same. */
export const MINIMUM_NODE = '22.12';

/**
 * The line to print when `version` (process.versions.node, with or without a leading v) is older
 * than MINIMUM_NODE; undefined when it is new enough. `execPath`, `platform` and `arch` are
 * process's, and pick the fix that is true on this machine: scripts/node22.sh provisions Linux x64.
 */
export function oldNodeLine(version, execPath, platform, arch) {
  const parts = String(version).replace(/^v/, '').split('.');
  const major = Number(parts[0]);
  const minor = Number(parts[1]);
  const wanted = MINIMUM_NODE.split('.').map(Number);
  if (major > wanted[0] || (major === wanted[0] && minor >= wanted[1])) return undefined;

  // A 22 older than 22.12 needs a newer 22, which scripts/node22.sh cannot bring: it hands back
  // the system Node whenever its major is 22.
  const node22 = major === wanted[0] ? `Node ${MINIMUM_NODE} or newer` : 'Node 22';
  let fix;
  if (major < wanted[0] && platform === 'linux' && arch === 'x64') {
    fix = 'Fix it for this terminal: export PATH="$(bash scripts/node22.sh):$PATH", or install Node 22 from nodejs.org.';
  } else if (platform === 'darwin') {
    fix = `Install ${node22} (brew install node@22 and put it first on PATH as brew says, or from nodejs.org), then run the command again.`;
  } else if (platform === 'win32') {
    fix = `Install ${node22} (winget install OpenJS.NodeJS.LTS, or from nodejs.org), then open a new terminal.`;
  } else {
    fix = `Install ${node22} from nodejs.org and put it first on PATH.`;
  }
  return `auth0-cognito-desktop needs Node ${MINIMUM_NODE} or newer; this terminal runs Node ${String(version).replace(/^v/, '')} (${execPath}). ${fix}`;
}

const line = oldNodeLine(process.versions.node, process.execPath, process.platform, process.arch);
if (line !== undefined) {
  process.stderr.write(`${line}\n`);
  // exitCode rather than exit(): stderr to a pipe is asynchronous on macOS, and nothing runs after this.
  process.exitCode = 1;
}
