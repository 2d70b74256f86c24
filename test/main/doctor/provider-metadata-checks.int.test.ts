// The JWKS half of the ID token signing check, against a key set served over HTTP on 127.0.0.1.
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { checkIdTokenSigning } from '../../../main/doctor/provider-metadata-checks';

let server: Server;
let base: string;
const served = new Map<string, unknown>();

beforeAll(async () => {
  server = createServer((request, response) => {
    const body = served.get(request.url ?? '');
    if (body === undefined) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const rsa = await exportJWK((await generateKeyPair('RS256')).publicKey);
  const ec = await exportJWK((await generateKeyPair('ES256')).publicKey);
  served.set('/rsa.json', { keys: [{ ...rsa, kid: 'rsa-1', use: 'sig', alg: 'RS256' }] });
  served.set('/ec-only.json', { keys: [{ ...ec, kid: 'ec-1', use: 'sig', alg: 'ES256' }] });
  served.set('/rsa-for-encryption.json', { keys: [{ ...rsa, kid: 'rsa-enc', use: 'enc' }] });
});

afterAll(async () => {
  await new Promise((closed) => server.close(closed));
});

const signing = (path: string) => checkIdTokenSigning({ issuer: `${base}/`, id_token_signing_alg_values_supported: ['RS256'], jwks_uri: `${base}${path}` });

test('a key set with an RSA signing key passes, naming the key', async () => {
  expect(await signing('/rsa.json')).toMatchObject({ ok: true, detail: expect.stringContaining('RSA signing key rsa-1') });
});

test('a key set with only an EC key fails: Cognito needs RS256', async () => {
  expect(await signing('/ec-only.json')).toMatchObject({ ok: false, detail: expect.stringContaining('no RSA key for RS256 signatures (it has EC/ES256)') });
});

test('an RSA key meant for encryption does not count as a signing key', async () => {
  expect(await signing('/rsa-for-encryption.json')).toMatchObject({ ok: false });
});

test('a jwks_uri that answers 404 fails, naming the address', async () => {
  expect(await signing('/missing.json')).toMatchObject({ ok: false, detail: expect.stringContaining(`${base}/missing.json answered HTTP 404`) });
});
