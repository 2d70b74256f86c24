// Runs the doctor's checks in order, each once what it depends on has passed, and reports every
// line as soon as it is known. Checks that cannot run are reported as skipped, saying why.
import type { ServerMetadata } from 'openid-client';
import { CHECK, isSkipped, skipped, type CheckName, type CheckResult, type DoctorLine } from './check-result';
import { checkCognitoPool } from './cognito-pool-check';
import { checkCognitoSignIn } from './cognito-sign-in-check';
import { checkDynamoDbEndpoint } from './dynamodb-endpoint-check';
import { checkIsolation } from './isolation-check';
import { checkIssuerDiscovery } from './issuer-discovery-check';
import { checkProfile } from './profile-check';
import { checkPush } from './push-check';
import { checkIdTokenSigning, checkPkce, checkRefreshTokens } from './provider-metadata-checks';
import { checkSession } from './session-check';
import { checkTable } from './table-check';

export interface DoctorOptions {
  /** The cloud profile JSON file to check. */
  cloudFile: string;
  /** A profile dir with a signed-in session in the OS keychain; without it checks 8–12 are skipped. */
  profileDir?: string;
  /** Per network request. */
  timeoutMs?: number;
}

export const NO_PROFILE_DIR = 'no --profile-dir: sign in with the app first, then pass its profile dir';

/** True when every check that ran passed (skipped ones do not count against it). */
export function allPassed(lines: DoctorLine[]): boolean {
  return lines.every((line) => isSkipped(line) || line.ok);
}

export async function runDoctor(options: DoctorOptions, report: (line: DoctorLine) => void = () => undefined): Promise<DoctorLine[]> {
  const lines: DoctorLine[] = [];
  const emit = <T extends DoctorLine>(line: T): T => {
    lines.push(line);
    report(line);
    return line;
  };
  const skip = (names: CheckName[], why: string) => names.forEach((name) => emit(skipped(name, why)));
  const failedAs = (result: CheckResult) => `${result.name} failed`;
  const timeout = { timeoutMs: options.timeoutMs };

  const { result: profileResult, profile } = checkProfile(options.cloudFile);
  emit(profileResult);
  if (profile === undefined) {
    skip([CHECK.discovery, CHECK.pkce, CHECK.signing, CHECK.refresh, CHECK.pool, CHECK.dynamodb, CHECK.session, CHECK.cognitoSignIn, CHECK.table, CHECK.isolation, CHECK.push], failedAs(profileResult));
    return lines;
  }

  const discovery = await checkIssuerDiscovery(profile, { timeoutSeconds: options.timeoutMs === undefined ? undefined : Math.ceil(options.timeoutMs / 1000) });
  emit(discovery.result);
  const metadata: ServerMetadata | undefined = discovery.metadata;
  if (metadata === undefined) {
    skip([CHECK.pkce, CHECK.signing, CHECK.refresh], failedAs(discovery.result));
  } else {
    emit(checkPkce(metadata));
    emit(await checkIdTokenSigning(metadata, timeout));
    emit(checkRefreshTokens(metadata));
  }

  const pool = emit(await checkCognitoPool(profile, timeout));
  const endpoint = emit(await checkDynamoDbEndpoint(profile, timeout));

  if (options.profileDir === undefined) {
    skip([CHECK.session, CHECK.cognitoSignIn, CHECK.table, CHECK.isolation, CHECK.push], NO_PROFILE_DIR);
    return lines;
  }
  // Restoring needs only the keychain, but a refresh needs the issuer's token endpoint.
  if (!discovery.result.ok) {
    skip([CHECK.session, CHECK.cognitoSignIn, CHECK.table, CHECK.isolation, CHECK.push], failedAs(discovery.result));
    return lines;
  }
  const session = await checkSession(profile, options.profileDir);
  emit(session.result);
  if (session.restored === undefined) {
    skip([CHECK.cognitoSignIn, CHECK.table, CHECK.isolation, CHECK.push], failedAs(session.result));
    return lines;
  }
  if (!pool.ok) {
    skip([CHECK.cognitoSignIn, CHECK.table, CHECK.isolation, CHECK.push], failedAs(pool));
    return lines;
  }
  const signIn = await checkCognitoSignIn(profile, session.restored.idToken, timeout);
  emit(signIn.result);
  if (signIn.credentials === undefined) {
    skip([CHECK.table, CHECK.isolation, CHECK.push], failedAs(signIn.result));
    return lines;
  }
  // The table and the push channel both need only the credentials: a DynamoDB failure does not hide push's state.
  if (!endpoint.ok) {
    skip([CHECK.table, CHECK.isolation], failedAs(endpoint));
  } else {
    const table = emit(await checkTable(profile, signIn.credentials, timeout));
    if (table.ok) emit(await checkIsolation(profile, signIn.credentials, timeout));
    else skip([CHECK.isolation], failedAs(table));
  }
  emit(await checkPush(profile, signIn.credentials, timeout));
  return lines;
}
