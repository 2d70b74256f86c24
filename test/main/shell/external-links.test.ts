import { describe, expect, test } from 'vitest';
import { DOCUMENTATION_URL, externalLinkOrigins, isAllowedExternalLink, routeWindowOpen } from '../../../main/shell/external-links';

const idp = externalLinkOrigins({ issuer: 'https://example.eu.auth0.com/' });
const localIdp = externalLinkOrigins({ issuer: 'http://127.0.0.1:41234/' });

describe('links the window may open in the system browser', () => {
  test("the IdP's own pages open, whatever their path and query", () => {
    expect(idp).toEqual(['https://auth0-cognito-desktop.invalid', 'https://example.eu.auth0.com']);
    expect(isAllowedExternalLink('https://example.eu.auth0.com/authorize?client_id=x&state=y', idp)).toBe(true);
    expect(isAllowedExternalLink('http://127.0.0.1:41234/authorize?client_id=x', localIdp)).toBe(true);
  });

  test('any other https site the page asks for is refused', () => {
    for (const url of [
      'https://evil.example/phish',
      'https://example.eu.auth0.com.evil.example/',
      'https://evil.example/?https://example.eu.auth0.com/',
      'https://example.eu.auth0.com:8443/',
    ]) {
      expect(isAllowedExternalLink(url, idp), url).toBe(false);
    }
  });

  test('other schemes, plain http, credentials in the URL and junk are refused', () => {
    for (const url of [
      'http://example.eu.auth0.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'https://user:pass@example.eu.auth0.com/',
      'not a url',
      '',
    ]) {
      expect(isAllowedExternalLink(url, idp), url).toBe(false);
    }
    expect(isAllowedExternalLink('http://127.0.0.1:41235/', localIdp)).toBe(false);
  });

  test("the app's documentation opens, with or without a cloud profile (the Help menu links to it)", () => {
    expect(isAllowedExternalLink(DOCUMENTATION_URL, idp)).toBe(true);
    expect(isAllowedExternalLink(`${DOCUMENTATION_URL}#troubleshooting`, externalLinkOrigins(undefined))).toBe(true);
  });

  test('with no cloud profile nothing but the documentation opens', () => {
    expect(externalLinkOrigins(undefined)).toEqual(['https://auth0-cognito-desktop.invalid']);
    expect(isAllowedExternalLink('https://example.eu.auth0.com/', externalLinkOrigins(undefined))).toBe(false);
  });
});

describe('a request from the page to open a window (target=_blank, window.open, middle-click)', () => {
  test('opens an allowed link in the system browser and never a window in the app', () => {
    const opened: string[] = [];
    expect(routeWindowOpen('https://example.eu.auth0.com/authorize', idp, (url) => opened.push(url))).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.eu.auth0.com/authorize']);
  });

  test('opens nothing for any other link, however it was asked for', () => {
    const opened: string[] = [];
    for (const url of ['https://evil.example/', 'file:///etc/passwd']) {
      expect(routeWindowOpen(url, idp, (next) => opened.push(next))).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual([]);
  });
});
