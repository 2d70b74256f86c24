// A --cloud FILE that cannot be used is refused in ONE sentence saying what to fix: which fields are
// missing or wrong (not zod's own lines), or that npm's banner went into the file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readCloudProfileFile } from '../../../main/cloud-profile/file';
import { thrown } from '../../support/app-error';

const scratch = mkdtempSync(join(tmpdir(), 'cloud-profile-file-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const complete = { issuer: 'https://tenant.eu.auth0.com/', clientId: 'abc', identityPoolId: 'eu-west-1:0f0e0d0c-1111-2222-3333-444455556666', region: 'eu-west-1', tableName: 'datasets' };

function refusal(name: string, text: string) {
  const file = join(scratch, name);
  writeFileSync(file, text);
  const error = thrown(() => readCloudProfileFile(file));
  expect(error.code).toBe('CLOUD_PROFILE_INVALID');
  expect(error.message).not.toContain('\n');
  // zod's wording is for programmers, not for the person who wrote the file.
  expect(error.message).not.toMatch(/Invalid input|expected string|received undefined/);
  return error.message;
}

describe('a cloud profile file that cannot be used', () => {
  test('a complete one is read', () => {
    const file = join(scratch, 'complete.json');
    writeFileSync(file, JSON.stringify(complete));
    expect(readCloudProfileFile(file)).toEqual(complete);
  });

  test('a partial one names every missing field in one sentence', () => {
    const message = refusal('partial.json', JSON.stringify({ issuer: complete.issuer }));
    expect(message).toContain('is not usable: it lacks clientId, identityPoolId, region and tableName.');
    expect(message).toContain('npm run localcloud prints');
  });

  test('wrong values say what they should look like; a field with other capitals is pointed out', () => {
    const { tableName: _tableName, ...rest } = complete;
    const message = refusal('wrong.json', JSON.stringify({ ...rest, identityPoolId: 'nope', region: 'Europe', tablename: 'datasets', redirectPort: 'eighty' }));
    expect(message).toContain('it lacks tableName (it has "tablename": the name is case-sensitive)');
    expect(message).toContain('identityPoolId should be an identity pool ID, e.g. us-east-1:1234abcd-');
    expect(message).toContain('region should be an AWS region, e.g. us-east-1');
    expect(message).toContain('redirectPort should be a port number 1–65535');
  });

  test('the Events API\'s two endpoints come together or not at all', () => {
    const events = { eventsHttpEndpoint: 'https://abc.appsync-api.eu-west-1.amazonaws.com/event', eventsRealtimeEndpoint: 'wss://abc.appsync-realtime-api.eu-west-1.amazonaws.com/event/realtime' };
    const file = join(scratch, 'events.json');
    writeFileSync(file, JSON.stringify({ ...complete, ...events }));
    expect(readCloudProfileFile(file)).toEqual({ ...complete, ...events });
    const alone = refusal('events-alone.json', JSON.stringify({ ...complete, eventsHttpEndpoint: events.eventsHttpEndpoint }));
    expect(alone).toContain('eventsHttpEndpoint and eventsRealtimeEndpoint name the two endpoints of one AppSync Events API, so a profile has both or neither');
    const wrongScheme = refusal('events-scheme.json', JSON.stringify({ ...complete, ...events, eventsRealtimeEndpoint: events.eventsHttpEndpoint }));
    expect(wrongScheme).toContain("eventsRealtimeEndpoint should be the Events API's ws(s) URL ending in /event/realtime");
  });

  test('JSON that is not an object says so', () => {
    expect(refusal('list.json', '[]')).toContain('it holds a list, not an object with issuer, clientId, identityPoolId, region and tableName');
  });

  test('a file that starts with npm\'s banner (saved without --silent) names the fix', () => {
    const banner = `\n> auth0-cognito-desktop@0.1.0 localcloud\n> node scripts/check-node.mjs && exec node --import tsx localcloud/cli.ts\n\n${JSON.stringify(complete)}\n`;
    const message = refusal('cloud.json', banner);
    expect(message).toContain("starts with npm's banner (\"> auth0-cognito-desktop@0.1.0 localcloud\")");
    expect(message).toContain('npm run --silent localcloud > cloud.json');
  });

  test('other text that is not JSON is still "not JSON"', () => {
    expect(refusal('broken.json', '{"issuer": ')).toContain('is not JSON');
  });
});
