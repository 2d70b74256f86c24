// A cloud profile: which Auth0 tenant, Cognito identity pool and DynamoDB table the app talks to.
// The same shape as localcloud's JSON line, so one can be fed to the other (`--cloud FILE`).
import { z } from 'zod';

const httpUrl = z.url({ protocol: /^https?$/ });

export const cloudProfileSchema = z.object({
  issuer: httpUrl.describe('Auth0 issuer, e.g. https://tenant.eu.auth0.com/'),
  clientId: z.string().min(1),
  audience: z.string().min(1).optional(),
  connection: z.string().min(1).optional(),
  identityPoolId: z.string().regex(/^[\w-]+:[0-9a-f-]+$/, 'an identity pool ID looks like us-east-1:1234abcd-…'),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'a region looks like us-east-1'),
  tableName: z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, 'a DynamoDB table name has 3–255 of A-Z a-z 0-9 _ . -'),
  cognitoEndpoint: httpUrl.optional(),
  dynamodbEndpoint: httpUrl.optional(),
  /** A fixed loopback port for the sign-in redirect, for tenants that only accept one exact callback URL. */
  redirectPort: z.number().int().min(1).max(65535).optional(),
});

export type CloudProfile = z.infer<typeof cloudProfileSchema>;

/** The Cognito Logins key for an issuer: its host and path, without scheme or trailing slash. */
export function loginsKey(issuer: string): string {
  return issuer.replace(/^https?:\/\//, '').replace(/\/$/, '');
}

/** The Cognito Identity endpoint a profile talks to: its override, or AWS's regional one. */
export function cognitoEndpointOf(profile: Pick<CloudProfile, 'cognitoEndpoint' | 'region'>): string {
  return profile.cognitoEndpoint ?? `https://cognito-identity.${profile.region}.amazonaws.com`;
}

/** The DynamoDB endpoint a profile talks to: its override, or AWS's regional one. */
export function dynamodbEndpointOf(profile: Pick<CloudProfile, 'dynamodbEndpoint' | 'region'>): string {
  return profile.dynamodbEndpoint ?? `https://dynamodb.${profile.region}.amazonaws.com`;
}

/** The local cloud (development and tests) signs in on a loopback issuer; real tenants never do. */
export function isLocalCloud(profile: Pick<CloudProfile, 'issuer'>): boolean {
  const host = new URL(profile.issuer).hostname;
  return host === '127.0.0.1' || host === 'localhost';
}
