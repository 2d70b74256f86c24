// The RFC 8252 loopback redirect: a one-shot HTTP server on 127.0.0.1 that waits for the browser to
// come back from the IdP. It answers only its callback path, accepts exactly one answer carrying
// the expected state and a code (answers with another state are refused and waited past), and
// always closes its port — on success, refusal, timeout or cancel.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError, type AppErrorView } from '../../shared/errors';
import { authorizationResponseFailure, signInCancelled, stateMismatch } from './auth-errors';

export const LOOPBACK_HOST = '127.0.0.1';
export const CALLBACK_PATH = '/callback';
export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;
/** Answers with a wrong state tolerated before the sign-in is given up as interfered with. */
export const MAX_BAD_ANSWERS = 20;

export interface LoopbackServerOptions {
  expectedState: string;
  /** 0 (default) lets the OS choose; a fixed port is for tenants that register one exact callback URL. */
  port?: number;
  timeoutMs?: number;
  /** Aborting it cancels the wait (the user clicked Cancel). */
  signal?: AbortSignal;
}

export interface LoopbackServer {
  /** http://127.0.0.1:PORT/callback — what the authorization request names as redirect_uri. */
  readonly redirectUri: string;
  readonly port: number;
  /** The full callback URL once a valid answer arrived; rejects with an AppError otherwise. */
  readonly callback: Promise<URL>;
  /** Answers the waiting browser tab with the outcome of the sign-in, then closes the port. */
  finish(error?: AppErrorView): Promise<void>;
  /** Closes the port now (idempotent). */
  close(): Promise<void>;
}

/**
 * An answer on the callback path: 'code' (ours, with a code), 'stray' (another state), or ours
 * refusing the sign-in. Any local program can reach this port: a stray answer is refused without
 * ending the sign-in, so it cannot cancel it; only a flood of them (a program probing the port) ends it.
 */
function readAnswer(params: URLSearchParams, expectedState: string): 'code' | 'stray' | AppError {
  if (params.get('state') !== expectedState) return 'stray';
  const idpError = params.get('error');
  if (idpError !== null) return authorizationResponseFailure(idpError, params.get('error_description') ?? undefined);
  if (!params.get('code')) {
    return new AppError('SIGN_IN_MISSING_CODE', 'The browser came back from the identity provider without a sign-in code. Click Sign in to try again.');
  }
  return 'code';
}

function signInTimedOut(timeoutMs: number): AppError {
  return new AppError('SIGN_IN_TIMEOUT', `The sign-in was not finished in the browser within ${Math.round(timeoutMs / 60_000) || 1} minutes. Click Sign in to start again.`);
}

export async function startLoopbackServer(options: LoopbackServerOptions): Promise<LoopbackServer> {
  const timeoutMs = options.timeoutMs ?? SIGN_IN_TIMEOUT_MS;
  let phase: 'waiting' | 'received' | 'closed' = 'waiting';
  let held: ServerResponse | undefined;
  let badAnswers = 0;
  let resolveCallback!: (url: URL) => void;
  let rejectCallback!: (error: AppError) => void;
  const callback = new Promise<URL>((resolve, reject) => {
    resolveCallback = resolve;
    rejectCallback = reject;
  });
  // Callers may stop listening once they have failed for their own reasons.
  callback.catch(() => undefined);

  const server = createServer((request, response) => onRequest(request, response));
  server.keepAliveTimeout = 1_000;
  const port = await listenOn(server, options.port ?? 0);
  const redirectUri = `http://${LOOPBACK_HOST}:${port}${CALLBACK_PATH}`;

  const timer = setTimeout(() => fail(signInTimedOut(timeoutMs)), timeoutMs);
  const onAbort = () => fail(signInCancelled());
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  function onRequest(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', redirectUri);
    if (url.pathname !== CALLBACK_PATH) return page(response, 404, 'Not found', 'There is nothing here.');
    if (request.method !== 'GET') return page(response, 405, 'Not allowed', 'This address only receives sign-in answers.');
    if (phase !== 'waiting') {
      return page(response, 409, 'Already used', refusal(new AppError('SIGN_IN_CALLBACK_REPLAYED', 'This sign-in answer was already received once and is not accepted again. Return to the app.')));
    }
    const answer = readAnswer(url.searchParams, options.expectedState);
    if (answer === 'stray') {
      badAnswers += 1;
      if (badAnswers > MAX_BAD_ANSWERS) return refuse(response, tooManyBadAnswers());
      return page(response, 400, 'Sign-in failed', refusal(stateMismatch()));
    }
    if (answer !== 'code') return refuse(response, answer);
    phase = 'received';
    held = response;
    // The full URL with this server's exact host and port: openid-client derives redirect_uri from it.
    resolveCallback(new URL(`${CALLBACK_PATH}${url.search}`, redirectUri));
  }

  function refuse(response: ServerResponse, error: AppError): void {
    page(response, 400, 'Sign-in failed', refusal(error));
    fail(error);
  }

  function fail(error: AppError): void {
    if (phase !== 'waiting') return;
    rejectCallback(error);
    void close();
  }

  async function close(): Promise<void> {
    if (phase === 'closed') return;
    phase = 'closed';
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    if (held && !held.writableEnded) page(held, 500, 'Sign-in stopped', 'The app stopped this sign-in. Return to the app.');
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      // Give the last page a moment to leave before dropping connections that are still open.
      setTimeout(() => server.closeAllConnections(), 200).unref();
    });
  }

  return {
    redirectUri,
    port,
    callback,
    async finish(error) {
      if (held && !held.writableEnded) {
        if (error === undefined) page(held, 200, 'Signed in', "You're signed in. You can close this tab and return to the app.");
        else page(held, 400, 'Sign-in failed', refusal(error));
      }
      await close();
    },
    close,
  };
}

export const SIGNED_OUT_PATH = '/';

export interface SignedOutPage {
  /** http://127.0.0.1:PORT/ — the `returnTo` the IdP's logout sends the browser back to. */
  readonly returnTo: string;
  readonly port: number;
  /** Closes the port now (idempotent); the next sign-in may need it. */
  close(): Promise<void>;
}

/**
 * The page the IdP's logout returns the browser to, on the app's loopback address (the address
 * infra/README.md has teams register as an Allowed Logout URL): it says the user is signed out and
 * closes its port once shown, or after `timeoutMs` if the browser never comes back.
 */
export async function startSignedOutPage(options: { port?: number; timeoutMs?: number } = {}): Promise<SignedOutPage> {
  let closed: Promise<void> | undefined;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://${LOOPBACK_HOST}`);
    if (url.pathname !== SIGNED_OUT_PATH || request.method !== 'GET') return page(response, 404, 'Not found', 'There is nothing here.');
    page(response, 200, 'Signed out', 'You are signed out; you can close this tab.');
    void close();
  });
  server.keepAliveTimeout = 1_000;
  // Waiting for a browser that may never come must not keep the app's process alive.
  server.unref();
  const port = await listenOn(server, options.port ?? 0);
  const timer = setTimeout(() => void close(), options.timeoutMs ?? SIGN_IN_TIMEOUT_MS);
  timer.unref();
  const close = () =>
    (closed ??= new Promise<void>((resolve) => {
      clearTimeout(timer);
      server.close(() => resolve());
      server.closeIdleConnections();
      setTimeout(() => server.closeAllConnections(), 200).unref();
    }));
  return { returnTo: `http://${LOOPBACK_HOST}:${port}${SIGNED_OUT_PATH}`, port, close };
}

function tooManyBadAnswers(): AppError {
  return new AppError(
    'SIGN_IN_STATE_MISMATCH',
    `More than ${MAX_BAD_ANSWERS} answers that do not belong to this sign-in reached the app's sign-in port, so the app stopped waiting: another program on this computer may be interfering. Click Sign in to try again.`,
  );
}

function refusal(error: AppErrorView): string {
  return `${error.message} You can close this tab and return to the app. (${error.code})`;
}

const PAGE_STYLE = `:root{color-scheme:light dark;--bg:#f5f6f8;--card:#fff;--text:#1d2330;--muted:#4f586a;--ok:#1e7b34;--bad:#b3261e;--accent:#2f4fc7}
@media (prefers-color-scheme:dark){:root{--bg:#15181e;--card:#1f232b;--text:#e8eaf0;--muted:#b1b8c6;--ok:#7fd68f;--bad:#ff8a80;--accent:#8ea6ff}}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:var(--bg);color:var(--text);font:16px system-ui,sans-serif}
main{background:var(--card);border-radius:12px;padding:2rem 2.5rem;max-width:32rem;box-shadow:0 4px 20px rgb(0 0 0/12%)}
.app{color:var(--muted);font-size:.9rem;margin:0 0 1rem}.icon{font-size:2rem;margin:0}.ok .icon{color:var(--ok)}.bad .icon{color:var(--bad)}
h1{font-size:1.4rem;margin:.25rem 0 .75rem}p{line-height:1.5}
button{font:inherit;padding:.5rem 1.1rem;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:var(--card);cursor:pointer}
button:focus-visible{outline:3px solid var(--accent);outline-offset:2px}#stays{color:var(--muted)}`;

// The browser lets a page close itself only when a script opened it; otherwise the page says so.
const CLOSE_SCRIPT = `document.getElementById('close').addEventListener('click',function(){window.close();setTimeout(function(){document.getElementById('stays').hidden=false},300)});`;

/** The loopback pages the browser shows: styled like the app, and offering to close themselves. */
function page(response: ServerResponse, status: number, title: string, text: string): void {
  const nonce = randomBytes(16).toString('base64');
  const ok = status < 400;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} — Auth0 Cognito Desktop</title><style nonce="${nonce}">${PAGE_STYLE}</style></head>
<body><main class="${ok ? 'ok' : 'bad'}"><p class="app">Auth0 Cognito Desktop</p><p class="icon" aria-hidden="true">${ok ? '✓' : '!'}</p>
<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>
<button type="button" id="close">Close this tab</button><p id="stays" hidden>Your browser keeps this tab open; close it yourself.</p></main>
<script nonce="${nonce}">${CLOSE_SCRIPT}</script></body></html>`;
  response.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    Connection: 'close',
  });
  response.end(html);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function listenOn(server: ReturnType<typeof createServer>, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES'
          ? new AppError(
              'REDIRECT_PORT_IN_USE',
              `Port ${port} on ${LOOPBACK_HOST} is taken, so the sign-in cannot receive its answer. Close the program that uses it, or set another redirectPort in the cloud profile and add http://${LOOPBACK_HOST}:PORT${CALLBACK_PATH} to Auth0 Dashboard > Applications > (app) > Allowed Callback URLs.`,
              { cause: error },
            )
          : error,
      );
    });
    server.listen(port, LOOPBACK_HOST, () => resolve((server.address() as AddressInfo).port));
  });
}
