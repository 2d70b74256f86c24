#!/usr/bin/env bash
# `npm test`: type-check, then every suite (unit, integration, e2e) in one vitest run, inside a
# private D-Bus session with an unlocked gnome-keyring so the real OS keychain is exercised.
# HOME points at a temp dir so neither the keyring nor Chromium writes into the user's home.
set -euo pipefail
cd "$(dirname "$0")/.."
# On a Node older than the project needs: one line saying which Node and how to get it, exit 1.
node scripts/check-node.mjs

# `npm test -- --help`: what this script adds, then vitest's own options; nothing is checked or built.
for arg in "$@"; do
  if [ "$arg" = --help ] || [ "$arg" = -h ]; then
    echo "Usage: npm test -- [FILE|FOLDER...] [vitest options]"
    echo
    echo "Type-checks (tsc), builds the three Electron targets, then runs vitest inside a private D-Bus session"
    echo "with an unlocked gnome-keyring and HOME in a temp dir. SKIP_TYPECHECK=1 and SKIP_BUILD=1 skip the"
    echo "first two. vitest's options follow."
    echo
    exec npx vitest run --help
  fi
done

# SKIP_TYPECHECK=1 runs the given files without type-checking the whole tree first.
[ "${SKIP_TYPECHECK:-}" = 1 ] || npx tsc -p tsconfig.json --noEmit
# The three Electron targets (no Electron binary needed): test/build/ inspects what they contain.
[ "${SKIP_BUILD:-}" = 1 ] || npx electron-vite build --logLevel warn

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home" "$scratch/data" "$scratch/config" "$scratch/cache" "$scratch/runtime"
chmod 700 "$scratch/runtime"
export HOME="$scratch/home" XDG_DATA_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config" \
  XDG_CACHE_HOME="$scratch/cache" XDG_RUNTIME_DIR="$scratch/runtime"
report="$scratch/vitest.json"

run() {
  if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
    dbus-run-session -- sh -c 'printf %s pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"' sh "$@"
  else
    echo "No dbus-run-session/gnome-keyring here: keychain tests use whatever Secret Service this desktop has." >&2
    "$@"
  fi
}

status=0
run npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
if [ -f "$report" ]; then
  node -e 'const r=require(process.argv[1]); console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests+r.numTodoTests} skipped`)' "$report"
fi
exit $status
