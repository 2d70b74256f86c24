// `npm run doctor -- --cloud FILE [--profile-dir DIR]`: checks a cloud profile step by step, one
// line per check; exit 0 when every check that ran passed, 1 otherwise.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatLine } from './check-result';
import { allPassed, runDoctor } from './run-doctor';

const USAGE = 'Usage: npm run doctor -- --cloud FILE [--profile-dir DIR]';

function usage(problem: string): never {
  process.stderr.write(`doctor: ${problem}. ${USAGE}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let values: { cloud?: string; 'profile-dir'?: string };
  try {
    ({ values } = parseArgs({ options: { cloud: { type: 'string' }, 'profile-dir': { type: 'string' } }, strict: true }));
  } catch (error) {
    usage((error as Error).message.replace(/\.$/, ''));
  }
  if (values.cloud === undefined) usage('--cloud FILE is required');
  const profileDir = values['profile-dir'] === undefined ? undefined : resolve(values['profile-dir']);
  const lines = await runDoctor({ cloudFile: values.cloud, profileDir }, (line) => process.stdout.write(`${formatLine(line)}\n`));
  process.exitCode = allPassed(lines) ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`doctor: ${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
