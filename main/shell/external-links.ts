// Which URLs the window may hand to the system browser. The page is ours, but whatever runs in it
// (a bug, an injected script) must not be able to send the user to any site it likes with the app's
// authority: only the origins the app itself links to are opened, and every way out of the window —
// a link with target=_blank, window.open, a middle-click, a plain navigation, the Help menu — asks
// the same question.
import type { CloudProfile } from '../../shared/cloud-profile';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * The app's documentation, which Help > Documentation opens: package.json's `homepage` (a unit test
 * keeps the two equal), a placeholder that a team replaces with its own site, as it does the update feed.
 */
export const DOCUMENTATION_URL = 'https://auth0-cognito-desktop.invalid/';

/**
 * The origins the app links to: its documentation's (the Help menu) and the IdP's (its sign-in page,
 * shown as "Open the sign-in page").
 */
export function externalLinkOrigins(profile: Pick<CloudProfile, 'issuer'> | undefined): string[] {
  const origins = [new URL(DOCUMENTATION_URL).origin];
  if (profile === undefined) return origins;
  try {
    return [...origins, new URL(profile.issuer).origin];
  } catch {
    return origins;
  }
}

/** True when `url` is on one of `allowedOrigins`, over https (http only on a loopback local-cloud IdP), with no credentials in it. */
export function isAllowedExternalLink(url: string, allowedOrigins: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const secure = parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname));
  return secure && parsed.username === '' && parsed.password === '' && allowedOrigins.includes(parsed.origin);
}

/**
 * What the window does with a request to open a new window (target=_blank, window.open, and a
 * middle-click, which Electron delivers here as a 'background-tab' disposition): an allowed link goes
 * to the system browser, anything else nowhere; the window itself never opens.
 */
export function routeWindowOpen(url: string, allowedOrigins: readonly string[], openExternal: (url: string) => void): { action: 'deny' } {
  if (isAllowedExternalLink(url, allowedOrigins)) openExternal(url);
  return { action: 'deny' };
}
