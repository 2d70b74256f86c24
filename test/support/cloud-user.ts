// Test support: a demo user of the local cloud signed in without a browser (password sign-in), with
// the app's own Cognito credentials service per device (profile dir), and the DynamoDB client and
// table partition the sync engine uses. Several devices of one user share the same identity ID.
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LocalCloud } from '../../localcloud/start-local-cloud';
import { createCognitoCredentials, type CognitoCredentials } from '../../main/aws/cognito-credentials';
import { createDynamoDbClient, dynamoDbContextOf } from '../../main/aws/dynamodb-client';
import type { DatasetTable } from '../../main/aws/dataset-table';
import { readIdToken } from '../../main/auth/id-token';
import type { CloudProfile } from '../../shared/cloud-profile';
import { passwordSignIn } from './password-sign-in';
import { testPlatform, type TestPlatform } from './system-browser';
import { profileFor } from './test-app';

export interface CloudDevice {
  profileDir: string;
  profile: CloudProfile;
  platform: TestPlatform;
  credentials: CognitoCredentials;
  client: DynamoDBClient;
  table: DatasetTable;
  identityId: string;
  close(): void;
}

/** Signs `cloud.users[user]` in once; `device()` then opens as many devices of that user as wanted. */
export async function signInCloudUser(cloud: LocalCloud, root: string, user = 0) {
  const { username, password } = cloud.users[user]!;
  const tokens = await passwordSignIn({ issuer: cloud.issuer, clientId: cloud.clientId, username, password });
  const idToken = tokens.id_token!;
  const { sub } = readIdToken(idToken).claims as { sub: string };
  const session = { user: () => ({ issuer: cloud.issuer, sub }), getIdToken: async () => idToken };
  const profile = profileFor(cloud);

  async function device(options: { profileDir?: string; maxAttempts?: number } = {}): Promise<CloudDevice> {
    const profileDir = options.profileDir ?? (await mkdtemp(join(root, 'device-')));
    const platform = testPlatform(profileDir);
    const credentials = createCognitoCredentials({ profile, platform, session });
    const client = createDynamoDbClient({ profile, credentials: credentials.provider, maxAttempts: options.maxAttempts });
    const identityId = await credentials.identityId();
    const table: DatasetTable = { client, tableName: profile.tableName, identityId, context: dynamoDbContextOf(profile) };
    return {
      profileDir,
      profile,
      platform,
      credentials,
      client,
      table,
      identityId,
      close() {
        client.destroy();
        credentials.close();
      },
    };
  }
  return { sub, idToken, device };
}
