// The errors a user or an admin can act on: a stable code plus a sentence that says what to do.
// Only `{code, message}` ever crosses to the renderer; causes stay in the main process.
import { z } from 'zod';

export const ERROR_CODES = [
  // anywhere
  'INTERNAL',
  'OFFLINE',
  'NETWORK_DOWN',
  'CLOCK_SKEW',
  'THROTTLED',
  'IPC_UNKNOWN_COMMAND',
  'IPC_BAD_INPUT',
  'IPC_UNTRUSTED_SENDER',
  'HOST_DISCONNECTED',
  'HOST_LINK_INCOMPLETE',
  'CLOUD_PROFILE_INVALID',
  'CLOUD_PROFILE_MISSING',
  'PROFILE_DIR_UNUSABLE',
  'IMPORT_NOT_FOUND',
  'IMPORT_INVALID',
  'IMPORT_LIMIT',
  'EXPORT_NOT_SAVED',
  'TOO_BUSY',
  'ANSWER_TOO_LARGE',
  // sign-in and session (main/auth)
  'NOT_SIGNED_IN',
  'SIGN_IN_IN_PROGRESS',
  'SIGN_IN_CANCELLED',
  'SIGN_IN_TIMEOUT',
  'SIGN_IN_STATE_MISMATCH',
  'SIGN_IN_MISSING_CODE',
  'SIGN_IN_CALLBACK_REPLAYED',
  'SIGN_IN_CODE_REJECTED',
  'SIGN_IN_DENIED',
  'REDIRECT_PORT_IN_USE',
  'BROWSER_NOT_OPENED',
  'IDP_ERROR',
  'IDP_MISCONFIGURED',
  'IDP_CLIENT_UNKNOWN',
  'IDP_CLIENT_NOT_ALLOWED',
  'ID_TOKEN_HS256',
  'ID_TOKEN_INVALID',
  'NO_REFRESH_TOKEN',
  'SESSION_EXPIRED',
  // keychain (main/platform/keychain)
  'KEYCHAIN_UNAVAILABLE',
  // Cognito identity pool (main/aws)
  'COGNITO_PROVIDER_NOT_REGISTERED',
  'COGNITO_AUDIENCE_NOT_REGISTERED',
  'COGNITO_ISSUER_MISMATCH',
  'COGNITO_TOKEN_NOT_VERIFIED',
  'COGNITO_LOGINS_MISMATCH',
  'COGNITO_POOL_NOT_FOUND',
  'COGNITO_ROLE_MISCONFIGURED',
  'COGNITO_ERROR',
  'IDENTITY_CHANGED',
  // the local dataset store (main/datasets)
  'DB_TOO_NEW',
  'DB_CORRUPT',
  'DATASET_NOT_FOUND',
  'CONFLICT_NOT_FOUND',
  'LIMIT_DATASET_NAME',
  'LIMIT_KEY_SIZE',
  'LIMIT_VALUE_SIZE',
  'LIMIT_NOT_UTF8',
  'LIMIT_RECORDS_PER_DATASET',
  'LIMIT_DATASETS_PER_IDENTITY',
  'LIMIT_DEVICE_NAME',
  // DynamoDB and the sync engine (main/aws, main/datasets)
  'ACCESS_DENIED',
  'TABLE_NOT_FOUND',
  'DYNAMODB_ERROR',
  'SYNC_CONFLICT_RETRIES_EXHAUSTED',
  'SYNC_COMMIT_TOO_LARGE',
  'SYNC_REMOTE_DAMAGED',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const errorCodeSchema = z.enum(ERROR_CODES);

/** What the renderer, the logs and the tests see of an error. */
export const appErrorViewSchema = z.object({ code: errorCodeSchema, message: z.string().min(1) });
export type AppErrorView = z.infer<typeof appErrorViewSchema>;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'AppError';
  }

  view(): AppErrorView {
    return { code: this.code, message: this.message };
  }

  /** So that JSON.stringify of an AppError never carries its cause across a boundary. */
  toJSON(): AppErrorView {
    return this.view();
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** The `{code, message}` for any thrown value; anything we did not anticipate becomes INTERNAL. */
export function toAppErrorView(error: unknown): AppErrorView {
  if (error instanceof AppError) return error.view();
  return {
    code: 'INTERNAL',
    message: 'Something went wrong inside the app. Try again; if it keeps happening, restart the app.',
  };
}

export type Severity = 'info' | 'warning' | 'error';

const SEVERITIES: Partial<Record<ErrorCode, Severity>> = {
  SIGN_IN_CANCELLED: 'info',
  KEYCHAIN_UNAVAILABLE: 'warning',
  OFFLINE: 'warning',
  HOST_DISCONNECTED: 'warning',
  HOST_LINK_INCOMPLETE: 'warning',
  TOO_BUSY: 'warning',
};

/** How calmly the UI shows a code: a cancel the user chose is information, not an error. */
export function severityOf(code: ErrorCode): Severity {
  return SEVERITIES[code] ?? 'error';
}
