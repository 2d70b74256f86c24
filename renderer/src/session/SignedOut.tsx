// The signed-out screen: what the app does, which cloud it will use, and the two ways in.
import type { CloudView, SessionView } from '../../../shared/ipc-contract';

interface Props {
  cloud?: CloudView;
  reason?: Extract<SessionView, { state: 'signedOut' }>['reason'];
  disabled: boolean;
  onSignIn(anotherAccount: boolean): void;
}

export function SignedOut({ cloud, disabled, onSignIn }: Props) {
  return (
    <section className="panel signed-out" aria-labelledby="signed-out-title">
      <h2 id="signed-out-title">Your datasets, on every computer you sign in on</h2>
      <p>
        Sign in with Auth0 in your browser. The app then gets temporary AWS credentials from a Cognito identity pool and keeps your
        datasets — named sets of key/value records — in a file on this computer, mirrored to DynamoDB where only you can read them. It works
        offline and syncs when it can.
      </p>
      {cloud && (
        <p className="cloud">
          {cloud.local ? (
            <>
              Using the <strong>local cloud</strong> on this computer ({cloud.tenant}): sign in as one of the demo users printed in the
              terminal.
            </>
          ) : (
            <>
              Auth0 tenant <strong>{cloud.tenant}</strong>, AWS region <strong>{cloud.region}</strong>.
            </>
          )}
        </p>
      )}
      <div className="actions">
        <button type="button" className="primary" disabled={disabled} onClick={() => onSignIn(false)}>
          Sign in
        </button>
        <button type="button" disabled={disabled} onClick={() => onSignIn(true)}>
          Sign in with another account
        </button>
      </div>
    </section>
  );
}
