import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CognitoIdentityClient,
  GetCredentialsForIdentityCommand,
  GetIdCommand,
  GetOpenIdTokenCommand,
  InternalErrorException,
  InvalidParameterException,
  NotAuthorizedException,
  ResourceNotFoundException,
} from '@aws-sdk/client-cognito-identity';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  UnsecuredJWT,
  type CryptoKey,
  type JWTPayload,
} from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCredentialRegistry, type CredentialRegistry } from '../../../localcloud/cognito/credential-registry';
import { startCognito, type RunningCognito, type TrustedProvider } from '../../../localcloud/cognito/start-cognito';
import { closeServer, listen } from '../../../localcloud/listen';
import { openStateStore } from '../../../localcloud/state-store';

const REGION = 'us-east-1';
const CLIENT_ID = 'desktop-client';
const KID = 'idp-key-1';
const NOT_SUPPORTED = 'Invalid login token. Token is not from a supported provider of this identity pool.';
const NOT_VERIFIED = "Invalid login token. Couldn't verify signed token.";
const WRONG_ISSUER = "Invalid login token. Issuer doesn't match providerName";
const LOGINS_DONT_MATCH =
  "Logins don't match. Please include at least one valid login for this identity or identity pool.";

// The emulator's clock; tests move it to expire tokens without waiting.
let clock = Date.now();
const now = () => clock;
const nowSeconds = () => Math.floor(clock / 1000);

let idpKey: CryptoKey;
let strangerKey: CryptoKey;
let jwksServer: Server;
let provider: TrustedProvider;
const dataDirs: string[] = [];
let registry: CredentialRegistry;
let cognito: RunningCognito;
let client: CognitoIdentityClient;

beforeAll(async () => {
  const [idp, stranger] = await Promise.all([
    generateKeyPair('RS256', { extractable: true }),
    generateKeyPair('RS256', { extractable: true }),
  ]);
  idpKey = idp.privateKey;
  strangerKey = stranger.privateKey;
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(idp.publicKey)), kid: KID, alg: 'RS256', use: 'sig' }] });
  jwksServer = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
  });
  const port = await listen(jwksServer, 0, 'test JWKS server');
  provider = {
    issuer: `http://127.0.0.1:${port}/`,
    clientIds: [CLIENT_ID],
    jwksUri: `http://127.0.0.1:${port}/.well-known/jwks.json`,
  };
  const store = openStateStore(await newDataDir());
  registry = createCredentialRegistry(store, { now });
  cognito = await startCognito({ store, region: REGION, provider, credentials: registry, now });
  // No credentials: GetId, GetCredentialsForIdentity and GetOpenIdToken are unsigned in AWS too.
  client = new CognitoIdentityClient({ region: REGION, endpoint: cognito.endpoint });
});

afterAll(async () => {
  client?.destroy();
  await cognito?.stop();
  if (jwksServer) await closeServer(jwksServer);
  await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function newDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cognito-test-'));
  dataDirs.push(dir);
  return dir;
}

/** An ID token as the provider would issue it for `sub`, with claims and header overridable. */
function idToken(claims: JWTPayload = {}, options: { key?: CryptoKey; kid?: string } = {}): Promise<string> {
  return new SignJWT({
    iss: provider.issuer,
    sub: 'auth0|alice',
    aud: CLIENT_ID,
    iat: nowSeconds(),
    exp: nowSeconds() + 3600,
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? KID })
    .sign(options.key ?? idpKey);
}

function logins(token: string): Record<string, string> {
  return { [cognito.providerName]: token };
}

function getId(token: string, identityPoolId = cognito.identityPoolId) {
  return client.send(new GetIdCommand({ IdentityPoolId: identityPoolId, Logins: logins(token) }));
}

async function identityOf(sub: string): Promise<string> {
  const { IdentityId } = await getId(await idToken({ sub }));
  return IdentityId!;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to be refused');
}

async function expectRefused(
  promise: Promise<unknown>,
  exception: typeof NotAuthorizedException | typeof InvalidParameterException | typeof ResourceNotFoundException,
  message: string,
): Promise<void> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(exception);
  expect({ name: error.name, message: error.message }).toEqual({ name: exception.name, message });
}

describe('the identity pool', () => {
  test('its ID is region:uuid and its provider name is the issuer without scheme and trailing slash', () => {
    expect(cognito.identityPoolId).toMatch(/^us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(cognito.providerName).toBe(provider.issuer.slice('http://'.length, -1));
    expect(cognito.endpoint).toBe(`http://127.0.0.1:${cognito.port}`);
  });

  test('a valid ID token gets an identity ID of the form region:uuid', async () => {
    expect(await identityOf('auth0|alice')).toMatch(/^us-east-1:[0-9a-f-]{36}$/);
  });
});

describe('the checks of the validation table, each raising the exception and message AWS does', () => {
  test('a malformed pool ID is an InvalidParameterException naming the pattern', async () => {
    await expectRefused(
      getId(await idToken(), 'not-a-pool'),
      InvalidParameterException,
      "1 validation error detected: Value 'not-a-pool' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+",
    );
  });

  test('a well-formed but unknown pool ID is a ResourceNotFoundException', async () => {
    const unknown = 'us-east-1:00000000-0000-0000-0000-000000000000';
    await expectRefused(getId(await idToken(), unknown), ResourceNotFoundException, `IdentityPool '${unknown}' not found.`);
  });

  test('a Logins key that is not the pool provider is refused before the token is even read', async () => {
    for (const key of ['accounts.google.com', provider.issuer, `${cognito.providerName}/`]) {
      const refused = client.send(
        new GetIdCommand({ IdentityPoolId: cognito.identityPoolId, Logins: { [key]: 'not even a JWT' } }),
      );
      await expectRefused(refused, NotAuthorizedException, NOT_SUPPORTED);
    }
  });

  test('an HS256 token cannot be verified', async () => {
    const hs256 = await new SignJWT({ sub: 'auth0|alice', iss: provider.issuer, aud: CLIENT_ID, exp: nowSeconds() + 60 })
      .setProtectedHeader({ alg: 'HS256', kid: KID })
      .sign(new TextEncoder().encode('a client secret of thirty-two bytes!'));
    await expectRefused(getId(hs256), NotAuthorizedException, NOT_VERIFIED);
  });

  test('an unsigned (alg none) token cannot be verified', async () => {
    const unsigned = new UnsecuredJWT({ sub: 'auth0|alice', aud: CLIENT_ID, exp: nowSeconds() + 60 })
      .setIssuer(provider.issuer)
      .encode();
    await expectRefused(getId(unsigned), NotAuthorizedException, NOT_VERIFIED);
  });

  test('a token whose signature was tampered with cannot be verified', async () => {
    const [header, payload, signature] = (await idToken()).split('.') as [string, string, string];
    const flipped = `${signature.slice(0, 20)}${signature[20] === 'A' ? 'B' : 'A'}${signature.slice(21)}`;
    await expectRefused(getId(`${header}.${payload}.${flipped}`), NotAuthorizedException, NOT_VERIFIED);
  });

  test('a token whose claims were changed after signing cannot be verified', async () => {
    const [header, , signature] = (await idToken()).split('.') as [string, string, string];
    const [, forgedPayload] = (await idToken({ sub: 'auth0|mallory' })).split('.');
    await expectRefused(getId(`${header}.${forgedPayload}.${signature}`), NotAuthorizedException, NOT_VERIFIED);
  });

  test('a token signed by a key not in the provider JWKS cannot be verified', async () => {
    await expectRefused(getId(await idToken({}, { key: strangerKey, kid: 'stranger' })), NotAuthorizedException, NOT_VERIFIED);
    await expectRefused(getId(await idToken({}, { key: strangerKey })), NotAuthorizedException, NOT_VERIFIED);
  });

  test('a token from another issuer is refused', async () => {
    await expectRefused(getId(await idToken({ iss: 'http://127.0.0.1:1/' })), NotAuthorizedException, WRONG_ISSUER);
  });

  test("a token whose issuer differs from the provider's URL in scheme or trailing slash is refused", async () => {
    const https = provider.issuer.replace(/^http:/, 'https:');
    const noSlash = provider.issuer.replace(/\/$/, '');
    for (const iss of [https, noSlash, `${provider.issuer}/`]) {
      await expectRefused(getId(await idToken({ iss })), NotAuthorizedException, WRONG_ISSUER);
    }
  });

  test('a token with several audiences and no azp is refused, even when one of them is the client', async () => {
    await expectRefused(getId(await idToken({ aud: [CLIENT_ID, 'another-client'] })), NotAuthorizedException, NOT_SUPPORTED);
    expect(await getId(await idToken({ aud: [CLIENT_ID, 'https://api.example'], azp: CLIENT_ID }))).toHaveProperty('IdentityId');
  });

  test("a token whose azp is a registered client is judged by azp, as Cognito documents, whatever its aud", async () => {
    // "If the azp parameter is present, check this value against listed client IDs" (Cognito, open-id.html).
    expect(await getId(await idToken({ aud: 'https://api.example', azp: CLIENT_ID }))).toHaveProperty('IdentityId');
  });

  test('a token not valid for more than five minutes yet (nbf or iat ahead of the clock) is refused', async () => {
    const later = nowSeconds() + 301;
    await expectRefused(
      getId(await idToken({ nbf: later })),
      NotAuthorizedException,
      `Invalid login token. Token is not valid yet: nbf ${later} > ${nowSeconds()}`,
    );
    await expectRefused(
      getId(await idToken({ iat: later, exp: later + 3600 })),
      NotAuthorizedException,
      `Invalid login token. Token is not valid yet: iat ${later} > ${nowSeconds()}`,
    );
    expect(await getId(await idToken({ nbf: nowSeconds() + 299, iat: nowSeconds() + 299 }))).toHaveProperty('IdentityId');
  });

  test('a token for an audience that is not a registered client is refused', async () => {
    await expectRefused(getId(await idToken({ aud: 'another-client' })), NotAuthorizedException, NOT_SUPPORTED);
    await expectRefused(getId(await idToken({ aud: ['another-client', 'api'] })), NotAuthorizedException, NOT_SUPPORTED);
  });

  test('a token whose azp is not a registered client is refused even when aud is', async () => {
    await expectRefused(getId(await idToken({ azp: 'another-client' })), NotAuthorizedException, NOT_SUPPORTED);
    expect(await getId(await idToken({ azp: CLIENT_ID }))).toHaveProperty('IdentityId');
  });

  test('a token expired for five minutes or more is refused with its exp and the time', async () => {
    const exp = nowSeconds() - 300;
    await expectRefused(
      getId(await idToken({ iat: exp - 3600, exp })),
      NotAuthorizedException,
      `Invalid login token. Token expired: ${nowSeconds()} >= ${exp}`,
    );
  });

  test('a token expired for less than five minutes is still accepted (clock skew)', async () => {
    const { IdentityId } = await getId(await idToken({ iat: nowSeconds() - 3600, exp: nowSeconds() - 299 }));
    expect(IdentityId).toBe(await identityOf('auth0|alice'));
  });

  test('a token becomes expired as the emulator clock passes exp plus five minutes', async () => {
    const token = await idToken({ exp: nowSeconds() + 60 });
    const exp = nowSeconds() + 60;
    const start = clock;
    try {
      clock = start + 359_000;
      expect(await getId(token)).toHaveProperty('IdentityId');
      clock = start + 361_000;
      await expectRefused(getId(token), NotAuthorizedException, `Invalid login token. Token expired: ${nowSeconds()} >= ${exp}`);
    } finally {
      clock = start;
    }
  });

  test("a login that is not the identity's own gets neither credentials nor an OpenID token", async () => {
    const alice = await identityOf('auth0|alice');
    const bobToken = await idToken({ sub: 'auth0|bob' });
    await expectRefused(
      client.send(new GetCredentialsForIdentityCommand({ IdentityId: alice, Logins: logins(bobToken) })),
      NotAuthorizedException,
      LOGINS_DONT_MATCH,
    );
    await expectRefused(
      client.send(new GetOpenIdTokenCommand({ IdentityId: alice, Logins: logins(bobToken) })),
      NotAuthorizedException,
      LOGINS_DONT_MATCH,
    );
  });
});

describe('when several checks fail, the first in Cognito order is the one reported', () => {
  test('pool ID, then Logins key, then signature, then iss, then aud, then exp', async () => {
    const hs256WrongIssuer = await new SignJWT({ sub: 'x', iss: 'http://elsewhere/', aud: 'nobody', exp: 1 })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('a client secret of thirty-two bytes!'));
    await expectRefused(
      getId(hs256WrongIssuer, 'bad pool'),
      InvalidParameterException,
      "1 validation error detected: Value 'bad pool' at 'identityPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+",
    );
    await expectRefused(
      getId(hs256WrongIssuer, 'us-east-1:0000'),
      ResourceNotFoundException,
      "IdentityPool 'us-east-1:0000' not found.",
    );
    await expectRefused(
      client.send(new GetIdCommand({ IdentityPoolId: cognito.identityPoolId, Logins: { 'accounts.google.com': hs256WrongIssuer } })),
      NotAuthorizedException,
      NOT_SUPPORTED,
    );
    await expectRefused(getId(hs256WrongIssuer), NotAuthorizedException, NOT_VERIFIED);
    await expectRefused(getId(await idToken({ iss: 'http://elsewhere/', aud: 'nobody', exp: 1 })), NotAuthorizedException, WRONG_ISSUER);
    await expectRefused(getId(await idToken({ aud: 'nobody', exp: 1 })), NotAuthorizedException, NOT_SUPPORTED);
  });

  test('an unknown identity is reported before its logins are looked at', async () => {
    const unknown = 'us-east-1:11111111-2222-3333-4444-555555555555';
    await expectRefused(
      client.send(new GetCredentialsForIdentityCommand({ IdentityId: unknown, Logins: { 'accounts.google.com': 'x' } })),
      ResourceNotFoundException,
      `Identity '${unknown}' not found.`,
    );
  });
});

describe('identities', () => {
  test('GetId without Logins is refused: the pool has no unauthenticated identities', async () => {
    await expectRefused(
      client.send(new GetIdCommand({ IdentityPoolId: cognito.identityPoolId })),
      NotAuthorizedException,
      'Unauthenticated access is not supported for this identity pool.',
    );
  });

  test('the same user gets the same identity ID every time, two users get two', async () => {
    const alice = await identityOf('auth0|alice');
    expect(await identityOf('auth0|alice')).toBe(alice);
    const bob = await identityOf('auth0|bob');
    expect(bob).not.toBe(alice);
    expect(bob).toMatch(/^us-east-1:/);
  });

  test('credentials for an unknown identity ID: ResourceNotFoundException', async () => {
    const unknown = 'us-east-1:99999999-9999-9999-9999-999999999999';
    await expectRefused(
      client.send(new GetCredentialsForIdentityCommand({ IdentityId: unknown, Logins: logins(await idToken()) })),
      ResourceNotFoundException,
      `Identity '${unknown}' not found.`,
    );
  });

  test('credentials for an identity without its login are refused', async () => {
    const alice = await identityOf('auth0|alice');
    await expectRefused(
      client.send(new GetCredentialsForIdentityCommand({ IdentityId: alice })),
      NotAuthorizedException,
      `Access to Identity '${alice}' is forbidden.`,
    );
  });

  test('the pool, the identities and the port survive a restart on the same data dir', async () => {
    const dir = await newDataDir();
    const options = () => {
      const store = openStateStore(dir);
      return { store, region: REGION, provider, credentials: createCredentialRegistry(store, { now }), now };
    };
    const first = await startCognito(options());
    const firstClient = new CognitoIdentityClient({ region: REGION, endpoint: first.endpoint });
    const token = await idToken({ sub: 'auth0|carol' });
    const carol = (await firstClient.send(new GetIdCommand({ IdentityPoolId: first.identityPoolId, Logins: { [first.providerName]: token } }))).IdentityId;
    const openIdToken = (await firstClient.send(new GetOpenIdTokenCommand({ IdentityId: carol, Logins: { [first.providerName]: token } }))).Token!;
    firstClient.destroy();
    await first.stop();

    const second = await startCognito(options());
    const secondClient = new CognitoIdentityClient({ region: REGION, endpoint: second.endpoint });
    try {
      expect(second.identityPoolId).toBe(first.identityPoolId);
      expect(second.port).toBe(first.port);
      expect(second.identityPoolId).not.toBe(cognito.identityPoolId);
      const again = await secondClient.send(new GetIdCommand({ IdentityPoolId: second.identityPoolId, Logins: { [second.providerName]: token } }));
      expect(again.IdentityId).toBe(carol);
      // The OpenID token signed before the restart still verifies against the keys served after it.
      const jwks = createRemoteJWKSet(new URL(`${second.endpoint}/.well-known/jwks_uri`));
      const { payload } = await jwtVerify(openIdToken, jwks, { currentDate: new Date(clock) });
      expect(payload.sub).toBe(carol);
    } finally {
      secondClient.destroy();
      await second.stop();
    }
  });
});

describe('credentials', () => {
  test('GetCredentialsForIdentity returns temporary AWS credentials valid for one hour', async () => {
    const token = await idToken();
    const alice = await identityOf('auth0|alice');
    const { IdentityId, Credentials } = await client.send(
      new GetCredentialsForIdentityCommand({ IdentityId: alice, Logins: logins(token) }),
    );
    expect(IdentityId).toBe(alice);
    expect(Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(Credentials?.SecretKey).toHaveLength(40);
    expect(Credentials?.SessionToken?.length).toBeGreaterThan(40);
    expect(Credentials?.Expiration).toBeInstanceOf(Date);
    expect(Math.abs(Credentials!.Expiration!.getTime() - (clock + 3_600_000))).toBeLessThanOrEqual(1000);
  });

  test('a CustomRoleArn is refused, never silently answered with the authenticated role', async () => {
    const alice = await identityOf('auth0|alice');
    const roleArn = 'arn:aws:iam::123456789012:role/SomeoneElsesAdminRole';
    await expectRefused(
      client.send(new GetCredentialsForIdentityCommand({ IdentityId: alice, Logins: logins(await idToken()), CustomRoleArn: roleArn })),
      InvalidParameterException,
      `CustomRoleArn '${roleArn}' is not allowed: this identity pool has no role mapping that lets a login choose its role.`,
    );
  });

  test('the credential registry knows the keys it handed out, for the DynamoDB gateway', async () => {
    const alice = await identityOf('auth0|alice');
    const { Credentials } = await client.send(
      new GetCredentialsForIdentityCommand({ IdentityId: alice, Logins: logins(await idToken()) }),
    );
    expect(registry.lookup(Credentials!.AccessKeyId!)).toEqual({
      accessKeyId: Credentials!.AccessKeyId,
      secretAccessKey: Credentials!.SecretKey,
      sessionToken: Credentials!.SessionToken,
      identityId: alice,
      expiration: clock + 3_600_000,
    });
    expect(registry.lookup('ASIAAAAAAAAAAAAAAAAA')).toBeUndefined();
  });

  test('each call hands out new keys', async () => {
    const alice = await identityOf('auth0|alice');
    const request = async () =>
      (await client.send(new GetCredentialsForIdentityCommand({ IdentityId: alice, Logins: logins(await idToken()) })))
        .Credentials!.AccessKeyId;
    expect(await request()).not.toBe(await request());
  });
});

describe('GetOpenIdToken', () => {
  test("returns a Cognito OpenID token that verifies with the emulator's published key", async () => {
    const alice = await identityOf('auth0|alice');
    const { IdentityId, Token } = await client.send(
      new GetOpenIdTokenCommand({ IdentityId: alice, Logins: logins(await idToken()) }),
    );
    expect(IdentityId).toBe(alice);
    expect(decodeProtectedHeader(Token!).alg).toBe('RS512');
    const jwks = createRemoteJWKSet(new URL(`${cognito.endpoint}/.well-known/jwks_uri`));
    const { payload } = await jwtVerify(Token!, jwks, {
      issuer: 'https://cognito-identity.amazonaws.com',
      audience: cognito.identityPoolId,
      subject: alice,
      currentDate: new Date(clock),
    });
    expect(payload.amr).toEqual(expect.arrayContaining(['authenticated', cognito.providerName]));
    expect(payload.exp! - payload.iat!).toBe(600);
  });

  test('a token signed by anyone else does not verify with that key', async () => {
    const forged = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'RS512' }).sign(
      (await generateKeyPair('RS512')).privateKey,
    );
    const jwks = createRemoteJWKSet(new URL(`${cognito.endpoint}/.well-known/jwks_uri`));
    await expect(jwtVerify(forged, jwks)).rejects.toThrow();
  });
});

describe('a provider whose keys cannot be fetched', () => {
  test('is a server-side InternalErrorException naming the JWKS address, not a verdict on the token', async () => {
    const unreachable = { ...provider, jwksUri: 'http://127.0.0.1:1/.well-known/jwks.json' };
    const store = openStateStore(undefined);
    const lonely = await startCognito({ store, region: REGION, provider: unreachable, credentials: createCredentialRegistry(store), now });
    const lonelyClient = new CognitoIdentityClient({ region: REGION, endpoint: lonely.endpoint, maxAttempts: 1 });
    try {
      const error = await rejection(
        lonelyClient.send(new GetIdCommand({ IdentityPoolId: lonely.identityPoolId, Logins: { [lonely.providerName]: await idToken() } })),
      );
      expect(error).toBeInstanceOf(InternalErrorException);
      expect(error.message).toContain(`Could not get the signing keys of ${lonely.providerName} from ${unreachable.jwksUri}`);
    } finally {
      lonelyClient.destroy();
      await lonely.stop();
    }
  });
});

describe('the wire protocol', () => {
  async function post(target: string | undefined, body: string) {
    const response = await fetch(cognito.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', ...(target ? { 'x-amz-target': target } : {}) },
      body,
    });
    return { status: response.status, errorType: response.headers.get('x-amzn-errortype'), body: await response.json() };
  }

  test('an operation the emulator does not offer is an UnknownOperationException', async () => {
    const reply = await post('AWSCognitoIdentityService.ListIdentityPools', '{"MaxResults":1}');
    expect(reply.status).toBe(400);
    expect(reply.errorType).toBe('UnknownOperationException');
    expect(reply.body.__type).toBe('UnknownOperationException');
    expect((await post(undefined, '{}')).body.__type).toBe('UnknownOperationException');
    expect((await post('AWSCognitoIdentityService.toString', '{}')).body.__type).toBe('UnknownOperationException');
  });

  test('a body that is not JSON is a SerializationException, a missing member an InvalidParameterException', async () => {
    const garbled = await post('AWSCognitoIdentityService.GetId', '{"IdentityPoolId":');
    expect(garbled).toMatchObject({ status: 400, errorType: 'SerializationException' });
    const missing = await post('AWSCognitoIdentityService.GetId', '{}');
    expect(missing).toMatchObject({
      status: 400,
      errorType: 'InvalidParameterException',
      body: {
        __type: 'InvalidParameterException',
        message: "1 validation error detected: Value null at 'identityPoolId' failed to satisfy constraint: Member must not be null",
      },
    });
  });

  test('an empty login token is an InvalidParameterException through the SDK', async () => {
    await expectRefused(
      client.send(new GetIdCommand({ IdentityPoolId: cognito.identityPoolId, Logins: { [cognito.providerName]: '' } })),
      InvalidParameterException,
      `1 validation error detected: Value '' at 'logins.${cognito.providerName}' failed to satisfy constraint: Member must have length greater than or equal to 1`,
    );
  });

  test('a request body over 1 MB is refused with 413', async () => {
    const reply = await post('AWSCognitoIdentityService.GetId', JSON.stringify({ IdentityPoolId: 'x'.repeat(1_100_000) }));
    expect(reply).toMatchObject({ status: 413, errorType: 'SerializationException' });
  });
});
