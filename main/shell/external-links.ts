// Which URLs the window may hand to the system browser. The page is ours, but whatever runs in it
// (a bug, an injected script) must not be able to send the user to any site it likes with the app's
// authority: only the origins the app itself links to are opened, and every way out of the window —
// a link with target=_blank, window.open, a middle-click, a plain navigation — asks the same question.
import type { CloudProfile } from '../../shared/cloud-profile';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** The origins the app links to: the IdP's (its sign-in page, shown as "Open the sign-in page"). */
export function externalLinkOrigins(profile: Pick<CloudProfile, 'issuer'> | undefined): string[] {
  if (profile === undefined) return [];
  try {
    return [new URL(profile.issuer).origin];
  } catch {
    return [];
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
