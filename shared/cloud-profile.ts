// A cloud profile: which Auth0 tenant, Cognito identity pool and DynamoDB table the app talks to,
// and optionally the AppSync Events API that carries push hints between a user's devices.
// The same shape as localcloud's JSON line, so one can be fed to the other (`--cloud FILE`).
import { z } from 'zod';

const httpUrl = z.url({ protocol: /^https?$/ });
const webSocketUrl = z.url({ protocol: /^wss?$/ });

/** Said when a profile names one of the Events API's two endpoints without the other. */
export const EVENTS_ENDPOINTS_TOGETHER =
  'eventsHttpEndpoint and eventsRealtimeEndpoint name the two endpoints of one AppSync Events API, so a profile has both or neither';

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
  /** The AppSync Events API's HTTP endpoint, e.g. https://abc.appsync-api.us-east-1.amazonaws.com/event. */
  eventsHttpEndpoint: httpUrl.optional(),
  /** Its realtime endpoint, e.g. wss://abc.appsync-realtime-api.us-east-1.amazonaws.com/event/realtime. */
  eventsRealtimeEndpoint: webSocketUrl.optional(),
  /** A fixed loopback port for the sign-in redirect, for tenants that only accept one exact callback URL. */
  redirectPort: z.number().int().min(1).max(65535).optional(),
}).refine((profile) => (profile.eventsHttpEndpoint === undefined) === (profile.eventsRealtimeEndpoint === undefined), {
  message: EVENTS_ENDPOINTS_TOGETHER,
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
