// The DynamoDB client's guard: checked before every attempt is signed, retries included, so a
// client whose identity's sync has stopped sends nothing more. Against a plain HTTP server that
// answers every request with a 500 (which the SDK retries) and counts what reaches it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createDynamoDbClient } from '../../../main/aws/dynamodb-client';
import { AppError } from '../../../shared/errors';

let server: http.Server;
let endpoint: string;
let received = 0;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    request.resume();
    request.once('end', () => {
      received += 1;
      response.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'try again' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const credentials = async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date(Date.now() + 3_600_000) });
const query = new QueryCommand({ TableName: 'datasets', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'x' } } });

function clientWith(guard: () => void) {
  return createDynamoDbClient({ profile: { region: 'us-east-1', dynamodbEndpoint: endpoint, tableName: 'datasets' }, credentials, guard, maxAttempts: 3 });
}

test('a guard that refuses sends nothing, and its own error is what the caller gets', async () => {
  received = 0;
  const refused = new AppError('NOT_SIGNED_IN', 'You are not signed in. Click Sign in.');
  const client = clientWith(() => {
    throw refused;
  });
  await expect(client.send(query)).rejects.toBe(refused);
  expect(received).toBe(0);
  client.destroy();
});

test('the guard is asked again before each retry: once it refuses, no further attempt goes out', async () => {
  received = 0;
  let asked = 0;
  const refused = new AppError('NOT_SIGNED_IN', 'You are not signed in. Click Sign in.');
  const client = clientWith(() => {
    asked += 1;
    if (asked > 1) throw refused;
  });
  await expect(client.send(query)).rejects.toBe(refused);
  expect(asked).toBe(2);
  expect(received).toBe(1);
  client.destroy();
});

test('a guard that lets requests through leaves the retries to the SDK', async () => {
  received = 0;
  const client = clientWith(() => undefined);
  await expect(client.send(query)).rejects.toMatchObject({ name: 'InternalServerError' });
  expect(received).toBe(3);
  client.destroy();
});
