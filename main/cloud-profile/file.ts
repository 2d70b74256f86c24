// Reads a `--cloud FILE` cloud profile, refusing a malformed one with ONE sentence saying what to fix:
// which fields are missing and which are wrong and what they should look like, never zod's own lines.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { cloudProfileSchema, type CloudProfile } from '../../shared/cloud-profile';
import { AppError } from '../../shared/errors';

/** What each field holds, for the sentence about a wrong one. */
const EXPECTED: Record<keyof CloudProfile, string> = {
  issuer: 'the Auth0 issuer URL, e.g. https://tenant.eu.auth0.com/',
  clientId: "the Auth0 application's client ID",
  audience: 'an API identifier (or leave it out)',
  connection: 'an Auth0 connection name (or leave it out)',
  identityPoolId: 'an identity pool ID, e.g. us-east-1:1234abcd-…',
  region: 'an AWS region, e.g. us-east-1',
  tableName: 'a DynamoDB table name of 3–255 of A-Z a-z 0-9 _ . -',
  cognitoEndpoint: 'an http(s) URL (or leave it out)',
  dynamodbEndpoint: 'an http(s) URL (or leave it out)',
  eventsHttpEndpoint: 'the Events API\'s http(s) URL ending in /event (or leave it out, with eventsRealtimeEndpoint)',
  eventsRealtimeEndpoint: 'the Events API\'s ws(s) URL ending in /event/realtime (or leave it out, with eventsHttpEndpoint)',
  redirectPort: 'a port number 1–65535 (or leave it out)',
};

const REQUIRED = (Object.keys(cloudProfileSchema.shape) as (keyof CloudProfile)[]).filter((field) => !cloudProfileSchema.shape[field].safeParse(undefined).success);

// `npm run localcloud > cloud.json` without --silent: npm's "> package@version script" lines come first.
const NPM_BANNER = /^\s*> \S+@\S+ \S+/;

function list(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** The fields a profile lacks and those it has wrong, as one sentence. */
function describeIssues(json: unknown, issues: readonly { path: PropertyKey[]; message: string }[]): string {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    const holds = json === null ? 'null' : Array.isArray(json) ? 'a list' : `a ${typeof json}`;
    return `it holds ${holds}, not an object with ${list(REQUIRED)}`;
  }
  const given = json as Record<string, unknown>;
  const missing: string[] = [];
  const wrong: string[] = [];
  for (const issue of issues) {
    // A rule across fields (the Events API's two endpoints) says its own sentence.
    if (issue.path.length === 0) {
      wrong.push(issue.message);
      continue;
    }
    const field = String(issue.path[0]) as keyof CloudProfile;
    if (given[field] === undefined) {
      // A field written with other capitals is the likely cause (JSON keys are case-sensitive).
      const lookalike = Object.keys(given).find((key) => key !== field && key.toLowerCase() === field.toLowerCase());
      missing.push(lookalike === undefined ? field : `${field} (it has "${lookalike}": the name is case-sensitive)`);
    } else if (!wrong.some((text) => text.startsWith(`${field} `))) {
      wrong.push(`${field} should be ${EXPECTED[field] ?? issue.message}`);
    }
  }
  const parts = [...(missing.length > 0 ? [`it lacks ${list(missing)}`] : []), ...wrong];
  return parts.join('; ');
}

export function readCloudProfileFile(file: string): CloudProfile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AppError('CLOUD_PROFILE_INVALID', `Cannot read the cloud profile ${file} (${(error as NodeJS.ErrnoException).code}). Check the path.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    if (NPM_BANNER.test(text)) {
      throw new AppError(
        'CLOUD_PROFILE_INVALID',
        `The cloud profile ${file} starts with npm's banner ("${text.trim().split('\n')[0]}"): it was saved without --silent. Save it again with npm run --silent localcloud > ${basename(file)}.`,
      );
    }
    throw new AppError('CLOUD_PROFILE_INVALID', `The cloud profile ${file} is not JSON. It should look like the line npm run localcloud prints.`);
  }
  const parsed = cloudProfileSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError(
      'CLOUD_PROFILE_INVALID',
      `The cloud profile ${file} is not usable: ${describeIssues(json, parsed.error.issues)}. Fix the file: a cloud profile has the fields of the line npm run localcloud prints (README: --cloud FILE).`,
    );
  }
  return parsed.data;
}
