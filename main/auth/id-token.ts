// Reading an ID token we already hold, and the one check openid-client leaves to us: that the
// token is signed in a way Cognito can verify.
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { z } from 'zod';
import { AppError } from '../../shared/errors';

const claimsSchema = z.object({
  iss: z.string().min(1),
  sub: z.string().min(1),
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number(),
  iat: z.number().optional(),
  email: z.string().optional(),
  name: z.string().optional(),
  picture: z.string().optional(),
});
export type IdTokenClaims = z.infer<typeof claimsSchema>;

export const HS256_MESSAGE =
  "Auth0 signs this application's ID tokens with HS256; Cognito needs RS256. Auth0 Dashboard > Applications > (app) > Advanced Settings > OAuth > JSON Web Token Signature Algorithm: RS256";

export function idTokenHs256(): AppError {
  return new AppError('ID_TOKEN_HS256', HS256_MESSAGE);
}

/** Header alg and claims, unverified: only for tokens openid-client has verified on receipt. */
export function readIdToken(idToken: string): { alg: string | undefined; claims: IdTokenClaims } {
  try {
    const alg = decodeProtectedHeader(idToken).alg;
    return { alg, claims: claimsSchema.parse(decodeJwt(idToken)) };
  } catch (cause) {
    throw new AppError('ID_TOKEN_INVALID', 'The identity provider sent an ID token the app cannot read. Sign in again.', { cause });
  }
}

/** Cognito verifies ID tokens with the issuer's public keys, so a shared-secret or unsigned token can never pass. */
export function assertCognitoCanVerify(alg: string | undefined): void {
  if (alg !== undefined && /^HS\d+$/.test(alg)) throw idTokenHs256();
  if (alg === undefined || alg === 'none') {
    throw new AppError(
      'ID_TOKEN_INVALID',
      'The identity provider sent an unsigned ID token, which Cognito cannot accept. Auth0 Dashboard > Applications > (app) > Advanced Settings > OAuth > JSON Web Token Signature Algorithm: RS256',
    );
  }
}

/** Seconds of validity left by the given clock. */
export function secondsLeft(claims: IdTokenClaims, nowMs: number): number {
  return claims.exp - nowMs / 1000;
}
