// The device for the SIGKILL tests: opens its store, syncs one dataset through the gateway (a push or
// a pull), and says when it has finished — unless it is killed first, which is the point.
import { createCognitoCredentials } from '../../../../main/aws/cognito-credentials';
import { createDynamoDbClient, dynamoDbContextOf } from '../../../../main/aws/dynamodb-client';
import { openDatasetStore } from '../../../../main/datasets/store/dataset-store';
import { createSyncEngine } from '../../../../main/datasets/sync/sync-engine';
import { profileIdOf } from '../../../../main/platform/platform';
import type { CloudProfile } from '../../../../shared/cloud-profile';
import { testPlatform } from '../../../support/system-browser';

const { profileDir, profile, idToken, issuer, sub, dataset } = JSON.parse(process.env.SYNC_CHILD ?? '') as {
  profileDir: string;
  profile: CloudProfile;
  idToken: string;
  issuer: string;
  sub: string;
  dataset: string;
};
const platform = testPlatform(profileDir);
const credentials = createCognitoCredentials({ profile, platform, session: { user: () => ({ issuer, sub }), getIdToken: async () => idToken } });
const identityId = await credentials.identityId();
const deviceId = profileIdOf(profileDir);
const store = openDatasetStore({ profileDir, deviceId });
const client = createDynamoDbClient({ profile, credentials: credentials.provider });
const engine = createSyncEngine({
  storage: store.syncStorage,
  table: { client, tableName: profile.tableName, identityId, context: dynamoDbContextOf(profile) },
  deviceId,
  isOnline: () => true,
});
process.stdout.write('syncing\n');
await engine.syncDataset(dataset);
process.stdout.write('done\n');
setInterval(() => undefined, 60_000);
