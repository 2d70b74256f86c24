// `npm run doctor -- --cloud FILE [--profile-dir DIR]`: checks a cloud profile step by step, one
// line per check; exit 0 when every check that ran passed, 1 otherwise.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatLine } from './check-result';
import { allPassed, runDoctor } from './run-doctor';

const USAGE = 'Usage: npm run doctor -- --cloud FILE [--profile-dir DIR]';
const HELP = `${USAGE}

Checks a cloud profile step by step, one line per check (✓ passed, ✗ failed with what to do, - not run):
the IdP's discovery, PKCE, RS256 keys and refresh tokens, the Cognito identity pool, DynamoDB; with a
signed-in profile dir also the session, Cognito sign-in, the table's schema and that the role keeps
each identity to its own items, and that push hints reach only the user's own channel. Exit 0 when every check that ran passed, 1 otherwise.
  --cloud FILE        the cloud profile to check (JSON, as npm run localcloud prints)
  --profile-dir DIR   a device folder that is signed in (npm start -- --profile-dir DIR)
  --help              this text`;

function usage(problem: string): never {
  process.stderr.write(`doctor: ${problem}. ${USAGE}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let values: { cloud?: string; 'profile-dir'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { cloud: { type: 'string' }, 'profile-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (error) {
    usage((error as Error).message.replace(/\.$/, ''));
  }
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
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
