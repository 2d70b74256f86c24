// The exception types the Cognito Identity API returns; the SDK turns `type` into its exception class.
export type CognitoErrorType =
  | 'InvalidParameterException'
  | 'ResourceNotFoundException'
  | 'NotAuthorizedException'
  | 'UnknownOperationException'
  | 'SerializationException'
  | 'InternalErrorException';

export class CognitoError extends Error {
  constructor(
    readonly type: CognitoErrorType,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export function notAuthorized(message: string): CognitoError {
  return new CognitoError('NotAuthorizedException', message);
}
