import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Api, AppErrorView, CloudView, SessionView, SyncStatus } from '../../shared/ipc-contract';
import { endsWithNextSuccess, Notice, type NoticeView } from './common/Notice';
import type { Run } from './common/run';
import { useCommand, useEvent } from './common/use-command';
import { createDataClient } from './data/data-client';
import { DataContext } from './data/data-context';
import { useChangeVersion } from './data/queries';
import { DatasetList } from './datasets/DatasetList';
import { DeviceName } from './device/DeviceName';
import { runShortcut, useShortcut } from './keyboard/use-shortcut';
import { DatasetView } from './records/DatasetView';
import { SignedOut } from './session/SignedOut';
import { SigningIn } from './session/SigningIn';
import { SignOutDialog } from './session/SignOutDialog';
import { StatusBar } from './status/StatusBar';

const SIGNED_OUT_NOTICE: NoticeView = {
  code: 'SIGNED_OUT',
  message:
    'You are signed out. Your browser may show a tab from the sign-in page that ended its session there too; you can close it. Next time, "Sign in with another account" lets you choose who signs in.',
};

export function App({ api }: { api: Api }) {
  const [session, setSession] = useState<SessionView | undefined>();
  const [cloud, setCloud] = useState<CloudView | undefined>();
  const [notice, setNotice] = useState<NoticeView | undefined>();
  const [signInUrl, setSignInUrl] = useState<string | undefined>();
  const [connected, setConnected] = useState(true);
  const [status, setStatus] = useState<SyncStatus | undefined>();
  const [openDataset, setOpenDataset] = useState<string | undefined>();
  const [confirmingSignOut, setConfirmingSignOut] = useState(false);

  const showError = useCallback((error: AppErrorView) => setNotice(error), []);
  // An error stays until the person's next action succeeds or they go to another screen.
  const clearEndedNotice = useCallback(() => setNotice((current) => (current && endsWithNextSuccess(current) ? undefined : current)), []);
  const navigate = (dataset: string | undefined) => {
    clearEndedNotice();
    setOpenDataset(dataset);
  };
  // The first session.get failed (e.g. a link without its token): the notice says why; nothing loads.
  const [unreachable, setUnreachable] = useState(false);
  const run = useCommand(api, showError, clearEndedNotice);
  const signedIn = session?.state === 'signedIn';
  // The screens' data: each query reads again only when an event concerns what it shows.
  const data = useMemo(() => createDataClient(api, run, showError), [api, run, showError]);
  useEffect(() => data.start(), [data]);
  // A record delete waiting out its undo window is sent before the page goes (closed or reloaded).
  useEffect(() => {
    const flush = () => void data.deletes.flush();
    window.addEventListener('pagehide', flush);
    window.addEventListener('beforeunload', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      window.removeEventListener('beforeunload', flush);
    };
  }, [data]);

  const applySession = useCallback((view: SessionView) => {
    setSession(view);
    if (view.state !== 'signingIn') setSignInUrl(undefined);
    if (view.state !== 'signedIn') {
      setOpenDataset(undefined);
      setStatus(undefined);
    }
    if (view.state === 'signedOut' && view.reason) setNotice(view.reason);
  }, []);

  useEvent(api, 'session.changed', applySession);
  useEvent(api, 'notice', setNotice);
  // The browser host has no system browser of its own: the page opens the sign-in in a tab.
  useEvent(api, 'openExternal', ({ url }) => {
    setSignInUrl(url);
    window.open(url, '_blank', 'noopener');
  });
  useEvent(api, 'sync.status', setStatus);
  // Electron's application menu asks for what the page's shortcuts do.
  useEvent(api, 'menu.command', ({ command }) => runShortcut(command));

  useEffect(() => {
    void run('session.get', {}).then((view) => (view ? applySession(view) : setUnreachable(true)));
    void run('app.cloud', {}).then((view) => view && setCloud(view));
    return api.onConnectionChange?.((up) => {
      setConnected(up);
      if (up) void run('session.get', {}).then((view) => view && applySession(view));
    });
  }, [api, run, applySession]);

  useEffect(() => {
    if (signedIn) void run('sync.status', {}).then((next) => next && setStatus(next));
  }, [signedIn, run]);

  // A host that went away cannot finish a sign-in: roll back to signed out until it is back.
  const shown: SessionView | undefined = !connected && session?.state === 'signingIn' ? { state: 'signedOut' } : session;

  const signIn = (anotherAccount: boolean) => {
    setNotice(undefined);
    setSession({ state: 'signingIn' });
    void run('session.signIn', { anotherAccount }).then((view) => applySession(view ?? { state: 'signedOut' }));
  };
  const signOut = (removeLocalData: boolean) => {
    setConfirmingSignOut(false);
    void run('session.signOut', { removeLocalData }).then((view) => {
      if (!view) return;
      applySession(view);
      if (view.state === 'signedOut') setNotice(SIGNED_OUT_NOTICE);
    });
  };
  const loadUnsynced = useCallback(() => run('session.unsyncedChanges', {}), [run]);
  // Sync now (the button, Ctrl/Cmd+R, F5) and signing out send a delete still waiting first.
  const syncNow = () => void data.deletes.flush().then(() => run('sync.now', {}).then((next) => next && setStatus(next)));
  useShortcut('syncNow', syncNow, signedIn);
  const askSignOut = () => void data.deletes.flush().then(() => setConfirmingSignOut(true));

  return (
    <DataContext.Provider value={data}>
      <div className={signedIn ? 'app signed-in' : 'app'}>
        <header className="app-header">
          <h1>Auth0 Cognito Desktop</h1>
          {shown?.state === 'signedIn' && (
            <div className="who">
              {shown.profile.picture && <img src={shown.profile.picture} alt="" width={28} height={28} />}
              <span className="email">{shown.profile.email ?? shown.profile.sub}</span>
              <DeviceName api={api} run={run} />
              <button type="button" onClick={askSignOut}>
                Sign out
              </button>
            </div>
          )}
        </header>
        <main className="content">
          {!connected && (
            <div className="notice warning" aria-live="polite">
              <span className="notice-text">
                The app's host stopped or cannot be reached, so nothing can be signed in or saved right now. Start it again (npm start) and open
                the new link it prints; this page retries by itself.
              </span>
            </div>
          )}
          {notice && <Notice notice={notice} onDismiss={() => setNotice(undefined)} />}
          {shown === undefined ? (
            unreachable ? null : <p aria-busy="true">Loading…</p>
          ) : shown.state === 'signedOut' ? (
            <SignedOut cloud={cloud} reason={shown.reason} disabled={!connected} onSignIn={signIn} />
          ) : shown.state === 'signingIn' ? (
            <SigningIn signInUrl={signInUrl} onCancel={() => void run('session.cancelSignIn', {}).then((view) => view && applySession(view))} />
          ) : openDataset === undefined ? (
            <DatasetListScreen run={run} onOpen={navigate} syncedAt={status?.lastSyncedAt} />
          ) : (
            <DatasetView name={openDataset} onBack={() => navigate(undefined)} />
          )}
        </main>
        {shown?.state === 'signedIn' && (
          <StatusBar
            status={status}
            onSyncNow={syncNow}
            onWorkOffline={(workOffline) => void run('sync.setWorkOffline', { workOffline }).then((next) => next && setStatus(next))}
          />
        )}
        {confirmingSignOut && shown?.state === 'signedIn' && (
          <SignOutDialog
            email={shown.profile.email ?? shown.profile.sub}
            loadUnsynced={loadUnsynced}
            onSignOut={signOut}
            onCancel={() => setConfirmingSignOut(false)}
          />
        )}
      </div>
    </DataContext.Provider>
  );
}

/** The datasets list reads again on every change: any of them may move its counts. */
function DatasetListScreen(props: { run: Run; onOpen(name: string): void; syncedAt?: number | null }) {
  return <DatasetList {...props} version={useChangeVersion()} />;
}
