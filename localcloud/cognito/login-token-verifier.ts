// Checks a Logins map the way Cognito Identity checks an OIDC provider's ID token, in Cognito's
// order and with its messages: provider name, signature (keys from the provider's JWKS), iss,
// azp (or aud without it), exp — as Cognito documents them ("Validating an OpenID Connect token").
// Where Cognito documents nothing (an exact issuer, several audiences without azp, nbf/iat ahead of
// the clock), the emulator refuses rather than guess in the lenient direction.
import { compactVerify, createRemoteJWKSet, errors } from 'jose';
import { z } from 'zod';
import { CognitoError, notAuthorized } from './cognito-error';
import { providerNameOf } from './identity-pool';

export interface TrustedProvider {
  /** 'http://127.0.0.1:PORT/' */
  issuer: string;
  clientIds: string[];
  jwksUri: string;
}

export interface VerifiedLogin {
  providerName: string;
  sub: string;
}

export type LoginVerifier = (logins: Record<string, string>) => Promise<VerifiedLogin>;

/** Cognito accepts tokens up to five minutes past their `exp`. */
const CLOCK_SKEW_SECONDS = 300;
const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512'];

const NOT_SUPPORTED_PROVIDER = 'Invalid login token. Token is not from a supported provider of this identity pool.';
const NOT_VERIFIED = "Invalid login token. Couldn't verify signed token.";

const claimsSchema = z.object({
  iss: z.string().optional(),
  sub: z.string().min(1).optional(),
  aud: z.union([z.string(), z.array(z.string())]).optional(),
  azp: z.string().optional(),
  exp: z.number().optional(),
  nbf: z.number().optional(),
  iat: z.number().optional(),
});

export function createLoginVerifier(provider: TrustedProvider, now: () => number): LoginVerifier {
  const providerName = providerNameOf(provider.issuer);
  const jwks = createRemoteJWKSet(new URL(provider.jwksUri));

  return async (logins) => {
    const entries = Object.entries(logins);
    if (entries.some(([key]) => key !== providerName)) throw notAuthorized(NOT_SUPPORTED_PROVIDER);
    const token = entries[0]![1];
    const claims = await verifiedClaims(token);

    // The whole issuer URL, scheme and trailing slash included, as IAM's OIDC provider URL is compared.
    if (claims.iss !== provider.issuer) {
      throw notAuthorized("Invalid login token. Issuer doesn't match providerName");
    }
    // Documented: azp when present, else aud. Several audiences without azp name no one party: refused.
    const audiences = typeof claims.aud === 'string' ? [claims.aud] : (claims.aud ?? []);
    const registered = claims.azp !== undefined
      ? provider.clientIds.includes(claims.azp)
      : audiences.length === 1 && provider.clientIds.includes(audiences[0]!);
    if (!registered) throw notAuthorized(NOT_SUPPORTED_PROVIDER);
    if (claims.exp === undefined) throw notAuthorized('Invalid login token. Missing a required claim: exp');
    const nowSeconds = Math.floor(now() / 1000);
    if (nowSeconds >= claims.exp + CLOCK_SKEW_SECONDS) {
      throw notAuthorized(`Invalid login token. Token expired: ${nowSeconds} >= ${claims.exp}`);
    }
    for (const [claim, value] of [['nbf', claims.nbf], ['iat', claims.iat]] as const) {
      if (value !== undefined && value > nowSeconds + CLOCK_SKEW_SECONDS) {
        throw notAuthorized(`Invalid login token. Token is not valid yet: ${claim} ${value} > ${nowSeconds}`);
      }
    }
    if (claims.sub === undefined) throw notAuthorized('Invalid login token. Missing a required claim: sub');
    return { providerName, sub: claims.sub };
  };

  async function verifiedClaims(token: string): Promise<z.infer<typeof claimsSchema>> {
    let payload: Uint8Array;
    try {
      ({ payload } = await compactVerify(token, jwks, { algorithms: RSA_ALGORITHMS }));
    } catch (error) {
      throw signatureFailure(error);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(payload));
    } catch {
      throw notAuthorized('Invalid login token. Not a valid OpenId Connect identity token.');
    }
    const claims = claimsSchema.safeParse(parsed);
    if (!claims.success) throw notAuthorized('Invalid login token. Not a valid OpenId Connect identity token.');
    return claims.data;
  }

  function signatureFailure(error: unknown): CognitoError {
    if (error instanceof errors.JWSInvalid) {
      return notAuthorized('Invalid login token. Not a valid OpenId Connect identity token.');
    }
    if (
      error instanceof errors.JOSEAlgNotAllowed ||
      error instanceof errors.JWSSignatureVerificationFailed ||
      error instanceof errors.JWKSNoMatchingKey ||
      error instanceof errors.JWKSMultipleMatchingKeys ||
      error instanceof errors.JOSENotSupported
    ) {
      return notAuthorized(NOT_VERIFIED);
    }
    // The provider's JWKS could not be fetched or read: a fault on our side of the exchange, not the caller's.
    const reason = error instanceof Error ? error.message : String(error);
    return new CognitoError(
      'InternalErrorException',
      `Could not get the signing keys of ${providerName} from ${provider.jwksUri}: ${reason}`,
      500,
    );
  }
}
