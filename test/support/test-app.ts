// Test support: the services of one app instance (one profile dir = one device), built the way the
// composition root builds them, with the log captured so tests can read it.
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import keytar from 'keytar';
import type { LocalCloud } from '../../localcloud/start-local-cloud';
import { createAuthSession, type AuthSession, type AuthSessionOptions } from '../../main/auth/session';
import { createCognitoCredentials, type CognitoCredentials } from '../../main/aws/cognito-credentials';
import { createLogger } from '../../main/platform/log';
import { APP_ID, profileIdOf } from '../../main/platform/platform';
import { keychainService } from '../../main/platform/keychain/keytar-store';
import { openSecretStore } from '../../main/platform/keychain/open-secret-store';
import type { SecretStore } from '../../main/platform/keychain/secret-store';
import type { CloudProfile } from '../../shared/cloud-profile';
import { testPlatform, type TestPlatform } from './system-browser';

export interface TestApp {
  profileDir: string;
  profile: CloudProfile;
  platform: TestPlatform;
  secrets: SecretStore;
  session: AuthSession;
  credentials: CognitoCredentials;
  logLines: string[];
  /** The keychain service this profile's entries live under. */
  service: string;
  /** Every entry of this profile in the OS keychain, read with keytar directly. */
  keychainEntries(): Promise<{ account: string; password: string }[]>;
  close(): void;
}

export function profileFor(cloud: LocalCloud, overrides: Partial<CloudProfile> = {}): CloudProfile {
  return {
    issuer: cloud.issuer,
    clientId: cloud.clientId,
    identityPoolId: cloud.identityPoolId,
    region: cloud.region,
    tableName: cloud.tableName,
    cognitoEndpoint: cloud.cognitoEndpoint,
    dynamodbEndpoint: cloud.dynamodbEndpoint,
    ...overrides,
  };
}

export function newProfileDir(root: string): Promise<string> {
  return mkdtemp(join(root, 'profile-'));
}

export async function startTestApp(
  profileDir: string,
  profile: CloudProfile,
  options: Partial<Pick<AuthSessionOptions, 'signInTimeoutMs' | 'refreshMarginSeconds'>> & { credentialsMarginSeconds?: number } = {},
): Promise<TestApp> {
  const logLines: string[] = [];
  const log = createLogger({ write: (line) => logLines.push(line), level: 'debug' });
  const platform = testPlatform(profileDir);
  const secrets = await openSecretStore({ profileDir, log });
  let credentials: CognitoCredentials | undefined;
  const session = createAuthSession({
    profile,
    platform,
    secrets,
    log,
    signInTimeoutMs: options.signInTimeoutMs,
    refreshMarginSeconds: options.refreshMarginSeconds,
    admit: (user, idToken) => credentials!.admit(user, idToken),
  });
  credentials = createCognitoCredentials({ profile, platform, session, log, marginSeconds: options.credentialsMarginSeconds });
  const service = keychainService(APP_ID, profileIdOf(profileDir));
  return {
    profileDir,
    profile,
    platform,
    secrets,
    session,
    credentials,
    logLines,
    service,
    keychainEntries: () => keytar.findCredentials(service),
    close: () => credentials.close(),
  };
}
