// The one door to stored secrets. Each keychain entry belongs to one signed-in user
// (account = `issuer|sub`) and holds only the kinds on the allow-list below — nothing else can be
// written through it.
import { z } from 'zod';
import type { AppError } from '../../../shared/errors';

/** The allow-list: what a session keeps between runs. Access tokens and AWS keys are never stored. */
export const SECRET_KINDS = ['refreshToken', 'idToken'] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

// Strict: an entry with any field off the allow-list is refused, on write and on read.
export const sessionSecretsSchema = z.strictObject({
  refreshToken: z.string().min(1),
  idToken: z.string().min(1),
} satisfies Record<SecretKind, z.ZodString>);
export type SessionSecrets = z.infer<typeof sessionSecretsSchema>;

export interface SecretStore {
  /** 'keychain' when entries survive a restart; 'memory' when they last for this run only. */
  readonly kind: 'keychain' | 'memory';
  read(account: string): Promise<SessionSecrets | undefined>;
  /** Replaces the whole entry in one write, so a rotated refresh token never sits beside a stale one. */
  write(account: string, secrets: SessionSecrets): Promise<void>;
  remove(account: string): Promise<void>;
  accounts(): Promise<string[]>;
  /** The KEYCHAIN_UNAVAILABLE notice, handed out once per run; undefined afterwards. */
  takeNotice(): AppError | undefined;
}

export function accountName(issuer: string, sub: string): string {
  return `${issuer}|${sub}`;
}

/** Splits at the first '|': an issuer URL has none, a sub may (`auth0|123`). */
export function parseAccountName(account: string): { issuer: string; sub: string } | undefined {
  const bar = account.indexOf('|');
  if (bar <= 0 || bar === account.length - 1) return undefined;
  return { issuer: account.slice(0, bar), sub: account.slice(bar + 1) };
}

/** Parses a stored entry; anything not on the allow-list makes it unreadable rather than trusted. */
export function parseSessionSecrets(text: string): SessionSecrets | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = sessionSecretsSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** Secrets for this run only: what the app uses when no keychain can be reached. */
export function createMemorySecretStore(notice?: AppError): SecretStore {
  const entries = new Map<string, SessionSecrets>();
  let pendingNotice = notice;
  return {
    kind: 'memory',
    read: async (account) => entries.get(account),
    write: async (account, secrets) => void entries.set(account, sessionSecretsSchema.parse(secrets)),
    remove: async (account) => void entries.delete(account),
    accounts: async () => [...entries.keys()],
    takeNotice: () => {
      const taken = pendingNotice;
      pendingNotice = undefined;
      return taken;
    },
  };
}
