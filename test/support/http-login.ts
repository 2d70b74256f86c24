// Drives the Auth0 stand-in the way a browser would, over plain HTTP: follows its redirects by hand,
// keeps its cookies, and fills the login form. Stops at the first redirect that leaves the IdP
// (the app's loopback callback) or at the first page the IdP shows.

export interface HttpBrowser {
  /** One request, no redirect followed; cookies sent and kept. */
  request(url: string | URL, init?: RequestInit): Promise<Response>;
  /** Follows redirects within the IdP. */
  open(url: string | URL, init?: RequestInit): Promise<Landing>;
  /** Opens `authorizationUrl`, logs in on the page it shows, returns where the IdP sent the browser. */
  logIn(authorizationUrl: string | URL, username: string, password: string): Promise<Landing>;
}

export type Landing =
  /** The IdP redirected out of itself, e.g. to the app's callback. */
  | { kind: 'left'; url: URL }
  /** The IdP answered with a page. */
  | { kind: 'page'; url: URL; status: number; html: string };

export function httpBrowser(issuer: string): HttpBrowser {
  const idpOrigin = new URL(issuer).origin;
  const cookies = new Map<string, string>();

  const request = async (url: string | URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (cookies.size > 0) headers.set('cookie', [...cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const name = pair.slice(0, pair.indexOf('=')).trim();
      const value = pair.slice(pair.indexOf('=') + 1).trim();
      const expired = attributes.some((attribute) => /^\s*expires=.*1970/i.test(attribute));
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    return response;
  };

  const open = async (start: string | URL, init?: RequestInit): Promise<Landing> => {
    let url = new URL(start);
    let response = await request(url, init);
    for (let hops = 0; response.status >= 300 && response.status < 400; hops += 1) {
      if (hops > 10) throw new Error(`Too many redirects from ${start}`);
      const location = new URL(response.headers.get('location') ?? '', url);
      if (location.origin !== idpOrigin) return { kind: 'left', url: location };
      url = location;
      response = await request(url);
    }
    return { kind: 'page', url, status: response.status, html: await response.text() };
  };

  const logIn = async (authorizationUrl: string | URL, username: string, password: string) => {
    const loginPage = await open(authorizationUrl);
    if (loginPage.kind !== 'page' || !loginPage.html.includes('name="password"')) {
      throw new Error(`Expected the login page, got ${JSON.stringify(loginPage).slice(0, 500)}`);
    }
    return open(loginPage.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    });
  };

  return { request, open, logIn };
}
