// What the Cognito and DynamoDB error mappers both read off an SDK error before each maps it to its
// own sentences: an AppError passes through, a network failure is NETWORK_DOWN for that service,
// anything else is its name, message and the error kept as the cause.
import { AppError } from '../../shared/errors';
import { isNetworkFailure, networkDown } from '../platform/network-failure';

export function errorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface AwsErrorParts {
  name: string | undefined;
  message: string;
  cause: { cause: unknown };
}

/** The AppError already decided (passed through, or the network being down), or the parts to map. */
export function awsErrorParts(error: unknown, service: string, endpoint: string): AppError | AwsErrorParts {
  if (error instanceof AppError) return error;
  if (isNetworkFailure(error)) return networkDown(service, endpoint, error);
  return { name: errorName(error), message: errorMessage(error), cause: { cause: error } };
}
