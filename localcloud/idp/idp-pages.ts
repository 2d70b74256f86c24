// The HTML the Auth0 stand-in shows a person: the login page and short message pages. Every value
// that reaches the markup goes through escapeHtml.

export const WRONG_CREDENTIALS = 'Wrong username or password.';

/** Nothing but inline styles: no scripts, no frames, no fonts from elsewhere. */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

export function escapeHtml(value: unknown): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f4f6;margin:0;padding:48px 16px;color:#1e212a}
main{max-width:360px;margin:0 auto;background:#fff;border-radius:6px;box-shadow:0 2px 8px rgba(0,0,0,.12);padding:32px}
h1{font-size:1.4em;margin:0 0 8px}p{margin:0 0 16px}label{display:block;font-weight:600;margin:16px 0 4px}
input{box-sizing:border-box;width:100%;padding:10px;border:1px solid #c9cace;border-radius:3px;font-size:1em}
button{width:100%;margin-top:24px;padding:12px;border:0;border-radius:3px;background:#635dff;color:#fff;font-size:1em;cursor:pointer}
.secondary{background:#e9e9ee;color:#1e212a;margin-top:8px}
[role=alert]{background:#fdecea;border:1px solid #d03c38;border-radius:3px;padding:10px;color:#9b1c18}
.connection{font-size:.9em;color:#65676e}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body><main>
${body}
</main></body>
</html>`;
}

export interface LoginPageOptions {
  /** Where the form posts to. */
  action: string;
  clientName: string;
  connection?: string;
  username?: string;
  error?: string;
}

export function loginPage(options: LoginPageOptions): string {
  const connection = options.connection
    ? `<p class="connection">Connection: <strong>${escapeHtml(options.connection)}</strong></p>`
    : '';
  const error = options.error ? `<p role="alert">${escapeHtml(options.error)}</p>` : '';
  return page(
    'Log in',
    `<h1>Welcome</h1>
<p>Log in to ${escapeHtml(options.clientName)} to continue.</p>
${connection}${error}
<form method="post" action="${escapeHtml(options.action)}">
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus value="${escapeHtml(options.username ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Log in</button>
</form>`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
}

/** oidc-provider's logout confirmation; `form` is its own hidden form (id "op.logoutForm"). */
export function logoutConfirmationPage(form: string): string {
  return page(
    'Log out',
    `<h1>Log out?</h1>
<p>You will need to log in again the next time an application asks.</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Log out</button>
<button type="submit" form="op.logoutForm" class="secondary">Stay logged in</button>`,
  );
}
