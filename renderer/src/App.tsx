import { useEffect, useState } from 'react';
import type { Api, AppErrorView, SessionView } from '../../shared/ipc-contract';
import { SessionPanel } from './SessionPanel';

export function App({ api }: { api: Api }) {
  const [session, setSession] = useState<SessionView | undefined>();
  const [alert, setAlert] = useState<AppErrorView | undefined>();
  const [signInUrl, setSignInUrl] = useState<string | undefined>();

  useEffect(() => {
    const unsubscribers = [
      api.on('session.changed', (view) => {
        setSession(view);
        if (view.state !== 'signingIn') setSignInUrl(undefined);
      }),
      api.on('notice', setAlert),
      // The browser host has no system browser of its own: the page opens the sign-in in a tab.
      api.on('openExternal', ({ url }) => {
        setSignInUrl(url);
        window.open(url, '_blank', 'noopener');
      }),
    ];
    void api.call('session.get', {}).then((result) => (result.ok ? setSession(result.value) : setAlert(result.error)));
    return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
  }, [api]);

  return (
    <main className="app">
      <header className="app-header">
        <h1>Auth0 Cognito Desktop</h1>
      </header>
      {alert && (
        <div role="alert" className="alert">
          <span>{alert.message}</span>
          <button type="button" aria-label="Dismiss" onClick={() => setAlert(undefined)}>
            ×
          </button>
        </div>
      )}
      {session === undefined ? (
        <p aria-busy="true">Loading…</p>
      ) : (
        <SessionPanel api={api} session={session} signInUrl={signInUrl} onSession={setSession} onError={setAlert} />
      )}
    </main>
  );
}
