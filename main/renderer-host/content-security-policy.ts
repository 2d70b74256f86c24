// The one CSP the app's page gets, in the Electron window and in the browser host alike.
export function contentSecurityPolicy(options: { connect?: string[] } = {}): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // Profile pictures: Auth0's are https; the local cloud serves its own from a loopback port.
    "img-src 'self' data: https: http://127.0.0.1:*",
    "font-src 'self'",
    ["connect-src 'self'", ...(options.connect ?? [])].join(' '),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
