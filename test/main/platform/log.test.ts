// What reaches a log line of the main process: enough to diagnose, never a token or an AWS key.
import { expect, test } from 'vitest';
import { createLogger, createRepeatLog, redact } from '../../../main/platform/log';

const idToken =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhdXRoMHwxMjMiLCJhdWQiOiJhYmMifQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmUtYW5kLW1vcmU';
const refreshToken = 'v1.MRrT0qZ3nYx8Kp2Lw9Qe4Vb7Hs6Jd1Fg5Ac0Zu3Xy';
const secretKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY1';
const accessKeyId = 'ASIAQWERTYUIOPASDFGH';

function captured(): { lines: string[]; text: () => string } {
  const lines: string[] = [];
  return { lines, text: () => lines.join('\n') };
}

test('tokens and AWS keys in messages, fields, errors and URLs never reach the log', () => {
  const sink = captured();
  const log = createLogger({ write: (line) => sink.lines.push(line), level: 'debug' });
  log.info(`got ${idToken} and ${refreshToken}`);
  log.warn('credentials', { AccessKeyId: accessKeyId, note: `key ${accessKeyId} secret ${secretKey}` });
  log.error('refresh failed', { error: new Error(`invalid_grant for ${refreshToken}`, { cause: { body: `id_token=${idToken}` } }) });
  log.debug('callback', { url: `http://127.0.0.1:5000/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=abc`, code: 'auth-code-abc' });
  log.info('stored', { refreshToken, idToken, nested: { sessionToken: 'short', list: [secretKey] } });

  const text = sink.text();
  for (const secret of [idToken, refreshToken, secretKey, accessKeyId, 'SplxlOBeZQQYbYS6WxSbIA', 'auth-code-abc']) expect(text).not.toContain(secret);
  expect(text).toContain('invalid_grant');
  expect(text).toContain('state=abc');
  expect(sink.lines).toHaveLength(5);
});

test('identifiers that are not secrets stay readable', () => {
  const identityId = 'us-east-1:0b6a7c2e-8f1d-4e53-9a11-2c3d4e5f6a7b';
  expect(redact(`identity ${identityId} for auth0|64f1c2 at https://tenant.eu.auth0.com/`)).toBe(
    `identity ${identityId} for auth0|64f1c2 at https://tenant.eu.auth0.com/`,
  );
  expect(redact({ code: 'SESSION_EXPIRED', issuer: 'https://tenant.eu.auth0.com/' })).toEqual({
    code: 'SESSION_EXPIRED',
    issuer: 'https://tenant.eu.auth0.com/',
  });
});

test('below the level nothing is written; child loggers add their scope', () => {
  const sink = captured();
  const log = createLogger({ write: (line) => sink.lines.push(line), level: 'info' }).child('auth');
  log.debug('hidden');
  log.info('shown');
  expect(sink.lines).toHaveLength(1);
  expect(JSON.parse(sink.lines[0]!)).toMatchObject({ level: 'info', scope: 'auth', message: 'shown' });
});

test('a failure repeated under one key is written once, then its count when it changes, ends, or every summary period', () => {
  const sink = captured();
  let now = 0;
  const repeats = createRepeatLog(createLogger({ write: (line) => sink.lines.push(line), now: () => now }), { now: () => now, summaryEveryMs: 60_000 });
  for (let round = 0; round < 4; round += 1) repeats.failed('a', 'THROTTLED', 'warn', 'a dataset sync failed', { code: 'THROTTLED' });
  repeats.failed('b', 'THROTTLED', 'warn', 'a dataset sync failed', { code: 'THROTTLED' });
  expect(sink.lines).toHaveLength(2);
  repeats.failed('a', 'ACCESS_DENIED', 'warn', 'a dataset sync failed', { code: 'ACCESS_DENIED' });
  now = 61_000;
  repeats.failed('a', 'ACCESS_DENIED', 'warn', 'a dataset sync failed', { code: 'ACCESS_DENIED' });
  repeats.ended('b');
  repeats.ended('a');
  const entries = sink.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(entries.map(({ message, code, repeated }) => ({ message, code, repeated }))).toEqual([
    { message: 'a dataset sync failed', code: 'THROTTLED', repeated: undefined },
    { message: 'a dataset sync failed', code: 'THROTTLED', repeated: undefined },
    { message: 'a dataset sync failed: repeated 3 more times', code: 'THROTTLED', repeated: 3 },
    { message: 'a dataset sync failed', code: 'ACCESS_DENIED', repeated: undefined },
    { message: 'a dataset sync failed: repeated 1 more time', code: 'ACCESS_DENIED', repeated: 1 },
  ]);
});
