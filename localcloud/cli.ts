// `npm run localcloud -- [--data-dir DIR] [--in-memory]`: prints one JSON line when ready, serves
// until SIGINT/SIGTERM, then stops DynamoDB Local and exits 0.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { serveUntilSignal } from '../main/serve-until-signal';
import { LocalCloudError } from './local-cloud-error';
import { DEFAULT_DATA_DIR, startLocalCloud } from './start-local-cloud';

function fail(message: string): never {
  process.stderr.write(`localcloud: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let values: { 'data-dir'?: string; 'in-memory'?: boolean };
  try {
    ({ values } = parseArgs({
      options: { 'data-dir': { type: 'string' }, 'in-memory': { type: 'boolean' } },
      strict: true,
    }));
  } catch (error) {
    fail(`${(error as Error).message}. Usage: npm run localcloud -- [--data-dir DIR] [--in-memory]`);
  }
  const inMemory = values['in-memory'] ?? false;
  const cloud = await startLocalCloud({
    inMemory,
    dataDir: inMemory ? undefined : resolve(values['data-dir'] ?? DEFAULT_DATA_DIR),
  });
  serveUntilSignal(() => cloud.stop(), (error) => fail(`stopping failed: ${String(error)}`));
  process.stdout.write(`${JSON.stringify(cloud.describe())}\n`);
}

main().catch((error: unknown) => {
  fail(error instanceof LocalCloudError ? `${error.code}: ${error.message}` : String((error as Error)?.stack ?? error));
});
