/** A failure to start or run localcloud, with a stable code and a sentence saying what to do. */
export class LocalCloudError extends Error {
  constructor(
    readonly code: 'PORT_IN_USE' | 'JAVA_MISSING' | 'DYNAMODB_LOCAL_MISSING' | 'DYNAMODB_LOCAL_FAILED' | 'BAD_OPTION' | 'DATA_DIR_UNUSABLE',
    message: string,
  ) {
    super(message);
    this.name = 'LocalCloudError';
  }
}
