// Every way Cognito Identity can refuse a sign-in, as a code and a sentence that tells the admin
// which setting to change. Cognito names its failures by exception type and a message text.
import { AppError } from '../../shared/errors';
import { awsErrorParts, errorMessage, errorName } from './aws-error';
import { idTokenHs256 } from '../auth/id-token';

export interface CognitoContext {
  identityPoolId: string;
  region: string;
  /** The Logins key we sent: the issuer without scheme and trailing slash. */
  providerName: string;
  clientId: string;
  endpoint: string;
  /** The ID token's header alg, to tell an HS256 token from a key mismatch. */
  idTokenAlg?: string;
}

const POOL_PROVIDERS = (context: CognitoContext) =>
  `AWS Console > Cognito > Identity pools > ${context.identityPoolId} > User access > Identity providers`;


/** Cognito's "the ID token has expired": refresh it and try once more before blaming the clock. */
export function isExpiredLogin(error: unknown): boolean {
  return errorName(error) === 'NotAuthorizedException' && /Token expired/i.test(errorMessage(error));
}

/** The cached identity ID belongs to another login (or is gone): forget it and ask GetId again. */
export function isStaleIdentity(error: unknown): boolean {
  const name = errorName(error);
  const message = errorMessage(error);
  return (
    (name === 'NotAuthorizedException' && /Logins don't match|Access to Identity .* is forbidden/i.test(message)) ||
    (name === 'ResourceNotFoundException' && /identity/i.test(message) && !/pool/i.test(message))
  );
}

export function clockSkew(cause?: unknown): AppError {
  return new AppError(
    'CLOCK_SKEW',
    "AWS says the sign-in has expired although it was just renewed, so this computer's clock is probably wrong. Set the date and time to update automatically, then try again.",
    { cause },
  );
}

export function cognitoFailure(error: unknown, context: CognitoContext): AppError {
  const parts = awsErrorParts(error, 'Amazon Cognito', context.endpoint);
  if (parts instanceof AppError) return parts;
  const { name, message, cause } = parts;

  switch (name) {
    case 'NotAuthorizedException':
      if (/Couldn't verify signed token/i.test(message)) {
        if (context.idTokenAlg !== undefined && /^HS\d+$/.test(context.idTokenAlg)) return idTokenHs256();
        return new AppError(
          'COGNITO_TOKEN_NOT_VERIFIED',
          `Cognito could not verify the ID token's signature with the keys published by ${context.providerName}. Check that the OpenID Connect provider ${context.providerName} in AWS Console > IAM > Identity providers points at this Auth0 tenant, and that Auth0 signs with RS256 (Auth0 Dashboard > Applications > (app) > Advanced Settings > OAuth).`,
          cause,
        );
      }
      if (/Incorrect token audience/i.test(message)) {
        return new AppError(
          'COGNITO_AUDIENCE_NOT_REGISTERED',
          `The identity pool does not accept ID tokens for client ID ${context.clientId}. Add ${context.clientId} as an audience of the OpenID Connect provider ${context.providerName} (AWS Console > IAM > Identity providers > ${context.providerName} > Audiences).`,
          cause,
        );
      }
      if (/not from a supported provider/i.test(message)) {
        return new AppError(
          'COGNITO_PROVIDER_NOT_REGISTERED',
          `The identity pool ${context.identityPoolId} does not accept sign-ins from ${context.providerName} for client ID ${context.clientId}. In ${POOL_PROVIDERS(context)}, add the OpenID Connect provider ${context.providerName} (the Auth0 domain, without https:// and trailing slash), and in AWS Console > IAM > Identity providers > ${context.providerName} > Audiences, add ${context.clientId}.`,
          cause,
        );
      }
      if (/Issuer doesn't match/i.test(message)) {
        return new AppError(
          'COGNITO_ISSUER_MISMATCH',
          `The ID token's issuer does not match the identity pool's provider ${context.providerName}. Set the cloud profile's issuer to the Auth0 domain the pool trusts (https://${context.providerName}/), or register this domain in ${POOL_PROVIDERS(context)}.`,
          cause,
        );
      }
      if (isExpiredLogin(error)) return clockSkew(error);
      if (isStaleIdentity(error)) {
        return new AppError(
          'COGNITO_LOGINS_MISMATCH',
          'Cognito says this identity belongs to another sign-in. Sign out and sign in again.',
          cause,
        );
      }
      return new AppError('COGNITO_ERROR', `Cognito refused the sign-in (${message}). Sign in again; if it keeps happening, tell your administrator.`, cause);
    case 'ResourceNotFoundException':
      return new AppError(
        'COGNITO_POOL_NOT_FOUND',
        `The identity pool ${context.identityPoolId} does not exist in ${context.region}. Check identityPoolId and region in the cloud profile against AWS Console > Cognito > Identity pools.`,
        cause,
      );
    case 'InvalidParameterException':
      if (/IdentityPoolId|identity pool/i.test(message)) {
        return new AppError(
          'COGNITO_POOL_NOT_FOUND',
          `"${context.identityPoolId}" is not a valid identity pool ID (${message}). Copy the ID from AWS Console > Cognito > Identity pools; it looks like us-east-1:1234abcd-….`,
          cause,
        );
      }
      return new AppError('COGNITO_ERROR', `Cognito refused the request (${message}). Check the cloud profile.`, cause);
    case 'InvalidIdentityPoolConfigurationException':
      return new AppError(
        'COGNITO_ROLE_MISCONFIGURED',
        `The identity pool ${context.identityPoolId} cannot hand out credentials: its authenticated role is missing or does not trust it. In AWS Console > IAM > Roles > (the pool's authenticated role) > Trust relationships, allow sts:AssumeRoleWithWebIdentity for cognito-identity.amazonaws.com with "cognito-identity.amazonaws.com:aud" = ${context.identityPoolId} and "cognito-identity.amazonaws.com:amr" = authenticated.`,
        cause,
      );
    case 'TooManyRequestsException':
    case 'LimitExceededException':
    case 'ThrottlingException':
      return new AppError('THROTTLED', 'AWS is receiving too many sign-in requests for this identity pool right now. Wait a minute; the app will try again.', cause);
    case 'ExternalServiceException':
      return new AppError('COGNITO_ERROR', `Cognito could not check the sign-in with ${context.providerName} (${message}). Try again in a minute.`, cause);
    case 'InternalErrorException':
      return new AppError('COGNITO_ERROR', 'Amazon Cognito had an internal error. Try again in a minute.', cause);
    default:
      return new AppError('COGNITO_ERROR', `Getting AWS credentials from Cognito failed (${name ?? 'error'}: ${message}). Try again; if it keeps happening, tell your administrator.`, cause);
  }
}
