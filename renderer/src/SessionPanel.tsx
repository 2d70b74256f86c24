import { useState } from 'react';
import type { Api, AppErrorView, CommandResult, SessionView } from '../../shared/ipc-contract';

interface Props {
  api: Api;
  session: SessionView;
  /** In the browser host, the IdP page the host asked us to open (a link in case a popup was blocked). */
  signInUrl?: string;
  onSession(session: SessionView): void;
  onError(error: AppErrorView): void;
}

export function SessionPanel({ api, session, signInUrl, onSession, onError }: Props) {
  const [confirmingSignOut, setConfirmingSignOut] = useState(false);
  const settle = (result: CommandResult<'session.signIn' | 'session.cancelSignIn' | 'session.signOut'>) => {
    if (result.ok) onSession(result.value);
    else onError(result.error);
  };

  if (session.state === 'signingIn') {
    return (
      <section className="panel">
        <p>Finish signing in in your browser, then come back here.</p>
        {signInUrl && (
          <p>
            No browser tab opened?{' '}
            <a href={signInUrl} target="_blank" rel="noopener noreferrer">
              Open the sign-in page
            </a>
          </p>
        )}
        <button type="button" onClick={() => void api.call('session.cancelSignIn', {}).then(settle)}>
          Cancel sign-in
        </button>
      </section>
    );
  }

  if (session.state === 'signedOut') {
    return (
      <section className="panel">
        {session.reason && <p className="reason">{session.reason.message}</p>}
        <button type="button" className="primary" onClick={() => {
          onSession({ state: 'signingIn' });
          void api.call('session.signIn', {}).then(settle);
        }}>
          Sign in
        </button>
      </section>
    );
  }

  const { profile } = session;
  const signOut = (removeLocalData: boolean) => {
    setConfirmingSignOut(false);
    void api.call('session.signOut', { removeLocalData }).then(settle);
  };
  return (
    <section className="panel">
      <div className="who">
        {profile.picture && <img src={profile.picture} alt="" width={32} height={32} />}
        <div>
          <div className="email">{profile.email ?? profile.sub}</div>
          {profile.name && <div className="name">{profile.name}</div>}
        </div>
        <button type="button" onClick={() => setConfirmingSignOut(true)}>
          Sign out
        </button>
      </div>
      {confirmingSignOut && (
        <div role="dialog" aria-modal="true" aria-labelledby="sign-out-title" className="dialog">
          <h2 id="sign-out-title">Sign out</h2>
          <p>Keep this account's data on this computer for the next sign-in, or remove it?</p>
          <button type="button" onClick={() => signOut(false)}>Sign out and keep data</button>
          <button type="button" onClick={() => signOut(true)}>Sign out and remove data</button>
          <button type="button" onClick={() => setConfirmingSignOut(false)}>Cancel</button>
        </div>
      )}
    </section>
  );
}
