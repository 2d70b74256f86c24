// What one doctor check reports, and the one line it prints as.

/** The checks, in the order they run and print; these names are part of the command's output. */
export const CHECK = {
  profile: 'profile',
  discovery: 'issuer discovery',
  pkce: 'PKCE',
  signing: 'ID token signing',
  refresh: 'refresh tokens',
  pool: 'Cognito pool',
  dynamodb: 'DynamoDB endpoint',
  session: 'session',
  cognitoSignIn: 'Cognito sign-in',
  table: 'table',
  isolation: 'isolation',
  push: 'push',
} as const;

export type CheckName = (typeof CHECK)[keyof typeof CHECK];

export interface CheckResult {
  name: CheckName;
  ok: boolean;
  /** What was found when ok; otherwise what is wrong and what to do. One line. */
  detail: string;
}

/** A check that did not run because one it depends on failed (or its input was not given). */
export interface SkippedCheck {
  name: CheckName;
  skipped: string;
}

export type DoctorLine = CheckResult | SkippedCheck;

export const passed = (name: CheckName, detail: string): CheckResult => ({ name, ok: true, detail });
export const failed = (name: CheckName, detail: string): CheckResult => ({ name, ok: false, detail });
export const skipped = (name: CheckName, why: string): SkippedCheck => ({ name, skipped: why });

export function isSkipped(line: DoctorLine): line is SkippedCheck {
  return 'skipped' in line;
}

/** The error's sentence, for a failed check's detail. */
export function sentenceOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function formatLine(line: DoctorLine): string {
  const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
  if (isSkipped(line)) return `- ${line.name}: skipped (${oneLine(line.skipped)})`;
  return `${line.ok ? '✓' : '✗'} ${line.name}: ${oneLine(line.detail)}`;
}
