// While the person signs in in their browser: progress, the time left, a way out.
import { useEffect, useState } from 'react';

/** The loopback server gives up after this long (main/auth). */
const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

export function SigningIn({ signInUrl, onCancel }: { signInUrl?: string; onCancel(): void }) {
  const [startedAt] = useState(Date.now);
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, SIGN_IN_TIMEOUT_MS - (now - startedAt));
  const minutes = Math.floor(left / 60_000);
  const seconds = String(Math.floor((left % 60_000) / 1000)).padStart(2, '0');
  return (
    <section className="panel signing-in" aria-busy="true" aria-labelledby="signing-in-title">
      <div className="spinner" aria-hidden="true" />
      <div>
        <h2 id="signing-in-title">Finish signing in in your browser</h2>
        <p>
          A browser tab with the sign-in page has opened. When you have signed in there, this window continues by itself. The sign-in
          stops waiting in{' '}
          <span className="countdown">
            {minutes}:{seconds}
          </span>
          .
        </p>
        {signInUrl && (
          <p>
            No tab opened?{' '}
            <a href={signInUrl} target="_blank" rel="noopener noreferrer">
              Open the sign-in page
            </a>
          </p>
        )}
        <button type="button" onClick={onCancel}>
          Cancel sign-in
        </button>
      </div>
    </section>
  );
}
