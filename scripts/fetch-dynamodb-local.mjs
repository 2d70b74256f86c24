#!/usr/bin/env node
// Brings AWS's DynamoDB Local (the engine localcloud runs) into .cache/ from the npm registry.
// It ships inside the npm package amplify-dynamodb-simulator; we `npm pack` that one pinned tarball
// and check its sha256 instead of installing the package, whose dependency tree (aws-cdk-lib) we
// do not want. Never fails `npm ci`: a failure is printed, and localcloud says again what to do.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE = 'amplify-dynamodb-simulator';
export const VERSION = '2.9.30';
export const SHA256 = '3503ffac19f183407909fecdacf4db51ab1fdad1da7b2f177016670b2d80e4b9';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const emulatorDir = process.env.DYNAMODB_LOCAL_DIR
  ? resolve(process.env.DYNAMODB_LOCAL_DIR)
  : join(root, '.cache', 'dynamodb-local', VERSION);

export function isInstalled(dir = emulatorDir) {
  return existsSync(join(dir, 'DynamoDBLocal.jar')) && existsSync(join(dir, 'DynamoDBLocal_lib'));
}

export function install(dir = emulatorDir) {
  if (isInstalled(dir)) return dir;
  const work = mkdtempSync(join(tmpdir(), 'ddb-local-'));
  try {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    execFileSync(npm, ['pack', `${PACKAGE}@${VERSION}`, '--silent', '--pack-destination', work], {
      stdio: ['ignore', 'ignore', 'inherit'],
      shell: process.platform === 'win32',
    });
    const tarball = join(work, `${PACKAGE}-${VERSION}.tgz`);
    const digest = createHash('sha256').update(readFileSync(tarball)).digest('hex');
    if (digest !== SHA256) {
      throw new Error(`${PACKAGE}@${VERSION} has sha256 ${digest}, expected ${SHA256}; refusing to use it`);
    }
    execFileSync('tar', ['-xzf', tarball, '-C', work, 'package/emulator'], { stdio: 'inherit' });
    mkdirSync(dirname(dir), { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    renameSync(join(work, 'package', 'emulator'), dir);
    return dir;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const dir = install();
    console.log(`DynamoDB Local ready in ${dir}`);
  } catch (error) {
    console.warn(`DynamoDB Local was not installed (${error.message}). localcloud will try again when it starts.`);
  }
}
