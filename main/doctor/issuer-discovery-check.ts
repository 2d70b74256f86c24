// Check 2: the issuer's OpenID Connect discovery document is reachable, names the profile's issuer
// exactly (Cognito and the keychain entries compare the string, trailing slash included), and
// has the endpoints a sign-in needs.
import type { Configuration, ServerMetadata } from 'openid-client';
import type { CloudProfile } from '../../shared/cloud-profile';
import { discoverProvider } from '../auth/identity-provider';
import { CHECK, failed, passed, sentenceOf, type CheckResult } from './check-result';

export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
}

export async function checkIssuerDiscovery(
  profile: CloudProfile,
  options: { timeoutSeconds?: number } = {},
): Promise<{ result: CheckResult; metadata?: ServerMetadata }> {
  const where = discoveryUrl(profile.issuer);
  let config: Configuration;
  try {
    config = await discoverProvider({ issuer: profile.issuer, clientId: profile.clientId }, { timeoutSeconds: options.timeoutSeconds ?? 10 });
  } catch (error) {
    return { result: failed(CHECK.discovery, sentenceOf(error)) };
  }
  const metadata = config.serverMetadata();
  // openid-client compares URLs, to which "https://x" and "https://x/" are the same; Cognito does not.
  if (metadata.issuer !== profile.issuer) {
    return {
      result: failed(
        CHECK.discovery,
        `${where} names the issuer "${metadata.issuer}", but the cloud profile says "${profile.issuer}". Set "issuer" in the cloud profile to exactly "${metadata.issuer}" (Auth0's ends with a slash): the ID token's iss must match it character for character.`,
      ),
    };
  }
  const missing = (['authorization_endpoint', 'token_endpoint'] as const).filter((field) => !metadata[field]);
  if (missing.length > 0) {
    return {
      result: failed(CHECK.discovery, `${where} has no ${missing.join(' and ')}, so the app cannot sign in there. Check that the issuer is the Auth0 domain (https://YOUR_TENANT.REGION.auth0.com/).`),
    };
  }
  return {
    result: passed(CHECK.discovery, `${where} names issuer ${metadata.issuer}; token endpoint ${metadata.token_endpoint}`),
    metadata,
  };
}
