// The request members of the three operations with AWS's constraints; a violation becomes the
// InvalidParameterException AWS sends, worded the way AWS words validation errors.
import { z } from 'zod';
import { CognitoError } from './cognito-error';
import { REGION_UUID_PATTERN } from './identity-pool';

const regionUuid = z
  .string()
  .min(1, 'Member must have length greater than or equal to 1')
  .max(55, 'Member must have length less than or equal to 55')
  .regex(REGION_UUID_PATTERN, 'Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+');

const logins = z
  .record(
    z.string().min(1, 'Member must have length greater than or equal to 1').max(128, 'Member must have length less than or equal to 128'),
    z.string().min(1, 'Member must have length greater than or equal to 1').max(50000, 'Member must have length less than or equal to 50000'),
  )
  .refine((map) => Object.keys(map).length <= 10, 'Member must have length less than or equal to 10');

export const getIdRequest = z.object({
  AccountId: z
    .string()
    .min(1, 'Member must have length greater than or equal to 1')
    .max(15, 'Member must have length less than or equal to 15')
    .regex(/^\d+$/, 'Member must satisfy regular expression pattern: \\d+')
    .optional(),
  IdentityPoolId: regionUuid,
  Logins: logins.optional(),
});

export const getCredentialsForIdentityRequest = z.object({
  IdentityId: regionUuid,
  Logins: logins.optional(),
  CustomRoleArn: z
    .string()
    .min(20, 'Member must have length greater than or equal to 20')
    .max(2048, 'Member must have length less than or equal to 2048')
    .optional(),
});

export const getOpenIdTokenRequest = z.object({
  IdentityId: regionUuid,
  Logins: logins.optional(),
});

export function parseRequest<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => describeIssue(issue, body));
  const count = `${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: `;
  throw new CognitoError('InvalidParameterException', count + problems.join('; '));
}

function describeIssue(issue: z.core.$ZodIssue, body: unknown): string {
  const value = valueAt(body, issue.path);
  const member = issue.path.map((segment) => lowerFirst(String(segment))).join('.') || 'request';
  const constraint =
    value === undefined || value === null
      ? 'Member must not be null'
      : issue.code === 'invalid_type'
        ? `Member must be of type ${issue.expected}`
        : issue.message;
  const shown = value === undefined || value === null ? 'null' : `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;
  return `Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`;
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let value = body;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
