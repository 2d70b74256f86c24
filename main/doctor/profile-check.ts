// Check 1: the cloud profile file parses and validates, as the app would read it.
import { resolve } from 'node:path';
import type { CloudProfile } from '../../shared/cloud-profile';
import { readCloudProfileFile } from '../cloud-profile/file';
import { CHECK, failed, passed, sentenceOf, type CheckResult } from './check-result';

export function checkProfile(file: string): { result: CheckResult; profile?: CloudProfile } {
  let profile: CloudProfile;
  try {
    profile = readCloudProfileFile(resolve(file));
  } catch (error) {
    return { result: failed(CHECK.profile, sentenceOf(error)) };
  }
  const endpoints = [profile.cognitoEndpoint && 'Cognito', profile.dynamodbEndpoint && 'DynamoDB'].filter(Boolean);
  const overrides = endpoints.length > 0 ? `; endpoint overrides for ${endpoints.join(' and ')}` : '';
  return {
    result: passed(CHECK.profile, `${file}: issuer ${profile.issuer}, pool ${profile.identityPoolId}, table ${profile.tableName} in ${profile.region}${overrides}`),
    profile,
  };
}
