// The people who can sign in to the Auth0 stand-in: made on the first start with random passwords
// and kept, so `sub` (and with it the Cognito identity) stays the same across restarts.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { StateStore } from '../state-store';

export interface DemoUser {
  /** Auth0's user id form: `auth0|` and 24 hex digits. */
  sub: string;
  email: string;
  name: string;
  nickname: string;
  password: string;
}

const STATE_NAME = 'idp-users';

const PEOPLE = [
  { email: 'alice@example.com', name: 'Alice Example' },
  { email: 'bob@example.com', name: 'Bob Example' },
];

export function keptDemoUsers(store: StateStore): DemoUser[] {
  const kept = store.read<DemoUser[]>(STATE_NAME);
  if (kept) return kept;
  const users = PEOPLE.map(({ email, name }) => ({
    sub: `auth0|${randomBytes(12).toString('hex')}`,
    email,
    name,
    nickname: email.slice(0, email.indexOf('@')),
    password: randomBytes(18).toString('base64url'),
  }));
  store.write(STATE_NAME, users);
  return users;
}

/** The user these credentials belong to, or undefined; compared in constant time. */
export function authenticate(users: DemoUser[], username: string, password: string): DemoUser | undefined {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  const user = users.find((candidate) => candidate.email === username.trim().toLowerCase());
  const matches = timingSafeEqual(digest(password), digest(user?.password ?? randomBytes(18).toString('base64url')));
  return user && matches ? user : undefined;
}
